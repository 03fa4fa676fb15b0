import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { durabilityJournalFile } from '../../../common/fault-switches.js';
export { durabilityJournalFile };

/**
 * A partition directory's durability journal (`KZBENCH_DURABILITY_JOURNAL=1`, for the `disk`
 * nemesis): how far the active segment's `.log` file is known to be on disk, rewritten after
 * every fsync of it. One record per directory is enough: a segment is fsynced when it rolls
 * and never written again, so only the active one can hold unsynced bytes.
 *
 * The format is the one the nemesis reads for the reference ZooKeeper too
 * (workloads/nemesis/unsynced-writes.ts), plus `preallocated: false`: a segment file grows
 * by appends, so a power cut shortens it rather than leaving zeros (see there).
 */

export interface DurableEnd {
  /** The `.log` file's name, within the partition directory. */
  file: string;
  /** Bytes of it that are on disk. */
  durableEnd: number;
}

export class DurabilityJournal {
  constructor(readonly dir: string) {}

  get path(): string {
    return path.join(this.dir, durabilityJournalFile);
  }

  /** The last record, or undefined when there is none (or it is unreadable). */
  read(): DurableEnd | undefined {
    try {
      const r = JSON.parse(readFileSync(this.path, 'utf8')) as { format?: unknown; file?: unknown; durableEnd?: unknown };
      if (r.format !== 1 || typeof r.file !== 'string' || typeof r.durableEnd !== 'number') return undefined;
      return { file: r.file, durableEnd: r.durableEnd };
    } catch {
      return undefined;
    }
  }

  /** `logFile` (a path in this directory) is on disk up to `durableEnd` bytes. */
  record(logFile: string, durableEnd: number): void {
    const tmp = `${this.path}.tmp`;
    // Rename is atomic: a crash leaves the old or the new record, never half of one.
    writeFileSync(tmp, JSON.stringify({ format: 1, file: path.basename(logFile), durableEnd, preallocated: false }));
    renameSync(tmp, this.path);
  }
}
