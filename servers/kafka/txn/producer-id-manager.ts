import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Apache KRaft hands producer ids out in blocks of 1000 (ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE). */
const BLOCK_SIZE = 1000;
const FILE = 'kzbench-producer-ids.json';

/**
 * Producer ids, unique for the life of the log directory: a block of ids is claimed by
 * writing its end to a file (temp file, fsync, rename) before any id in it is handed out,
 * so after a crash the next start claims a fresh block, as a KRaft controller's
 * ProducerIdsRecord does.
 */
export class ProducerIdManager {
  private next: number;
  private blockEnd: number;
  private readonly path: string;

  constructor(logDir: string) {
    this.path = join(logDir, FILE);
    let claimed = 0;
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { nextBlockStart?: unknown };
      if (typeof parsed.nextBlockStart === 'number' && Number.isSafeInteger(parsed.nextBlockStart)) claimed = parsed.nextBlockStart;
    } catch {
      // No file yet: ids start at 0, as on a new Apache cluster.
    }
    this.next = claimed;
    this.blockEnd = claimed;
  }

  generate(): number {
    if (this.next >= this.blockEnd) {
      this.blockEnd = this.next + BLOCK_SIZE;
      this.persist(this.blockEnd);
    }
    return this.next++;
  }

  private persist(nextBlockStart: number): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify({ nextBlockStart }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }
}
