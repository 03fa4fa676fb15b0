import { closeSync, fstatSync, ftruncateSync, openSync, readdirSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { durabilityJournalEnvVar, durabilityJournalFile } from '../../common/fault-switches.js';

/**
 * The reference servers' durability journal (`KZBENCH_DURABILITY_JOURNAL=1`): after each
 * fsync a server records, beside its log, how far the current log file is on disk. This
 * module reads those records after a crash and throws away everything written past them,
 * which is what a power cut does to writes still in the page cache (lazyfs's
 * lose-unfsynced-writes, done without FUSE because only our own servers need it).
 *
 * A record is `{format: 1, file, durableEnd, preallocated?}` (`file` relative to the
 * journal's directory). How the unsynced tail goes depends on how the file grows:
 *
 * - Preallocated (ZooKeeper's transaction log, the default when the field is absent): the
 *   file already had its size, so the disk keeps the size and the lost blocks read back as
 *   the zeros preallocation put there. The tail is zeroed.
 * - Grown by appends (`preallocated: false`: Kafka segments, since log.preallocate is off):
 *   the size itself is unsynced metadata. A journalling file system commits it with, or
 *   after, the data it covers (ext4's default data=ordered), so after a power cut the file
 *   ends where the synced data ends. The tail is cut off (ftruncate). Zeros would also be
 *   a possible outcome on some file systems (XFS before 2.6.22); the Kafka log recovers
 *   from both the same way (a zero batch length is invalid, so the log ends there), and its
 *   unit tests cover both.
 */
export { durabilityJournalEnvVar, durabilityJournalFile };

export interface LostWrites {
  file: string;
  /** Bytes on disk kept. */
  durableEnd: number;
  /** How the tail past it went: zeroed in place (preallocated files) or cut off. */
  how: 'zeroed' | 'truncated';
  /** Bytes zeroed or cut off past it (preallocated zeros included). */
  cutBytes: number;
  /** Of those, bytes that held data: the writes lost. */
  lostBytes: number;
}

/** Every journal under `dir` (a node's data directory), depth first. */
export function findDurabilityJournals(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === durabilityJournalFile) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/**
 * Throws away each journalled file's bytes past its durable end: zeroed when the file is
 * preallocated (the logs treat zeros as their end), cut off when it grows by appends; either
 * way recovery stops at the last synced record. Only for a server that is not running (call
 * it between the kill and the restart).
 */
export function loseUnsyncedWrites(dataDir: string): LostWrites[] {
  const lost: LostWrites[] = [];
  for (const journal of findDurabilityJournals(dataDir)) {
    let record: { format?: unknown; file?: unknown; durableEnd?: unknown; preallocated?: unknown };
    try {
      record = JSON.parse(readFileSync(journal, 'utf8')) as typeof record;
    } catch {
      continue; // a journal the server never finished writing would have been a .tmp; skip garbage
    }
    if (record.format !== 1 || typeof record.file !== 'string' || typeof record.durableEnd !== 'number') continue;
    const truncate = record.preallocated === false;
    const file = path.join(path.dirname(journal), record.file);
    let fd: number;
    try {
      fd = openSync(file, 'r+');
    } catch {
      continue;
    }
    try {
      const size = fstatSync(fd).size;
      const cut = Math.max(0, size - record.durableEnd);
      const chunk = Buffer.alloc(Math.min(cut, 1 << 20));
      const zeros = Buffer.alloc(chunk.length);
      let lostBytes = 0;
      for (let at = record.durableEnd; at < size; at += chunk.length) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - at), at);
        for (let i = 0; i < n; i++) if (chunk[i] !== 0) lostBytes++;
        if (!truncate) writeSync(fd, zeros, 0, n, at);
      }
      if (truncate && cut > 0) ftruncateSync(fd, record.durableEnd);
      lost.push({ file, durableEnd: record.durableEnd, how: truncate ? 'truncated' : 'zeroed', cutBytes: cut, lostBytes });
    } finally {
      closeSync(fd);
    }
  }
  return lost;
}
