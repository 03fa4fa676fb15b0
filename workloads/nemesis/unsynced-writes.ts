import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * The reference servers' durability journal (`KZBENCH_DURABILITY_JOURNAL=1`): after each
 * fsync a server records, beside its log, how far the current log file is on disk. This
 * module reads those records after a crash and throws away everything written past them,
 * which is what a power cut does to writes still in the page cache (lazyfs's
 * lose-unfsynced-writes, done without FUSE because only our own servers need it).
 */
export const durabilityJournalEnvVar = 'KZBENCH_DURABILITY_JOURNAL';
export const durabilityJournalFile = 'kzbench-durable.json';

export interface LostWrites {
  file: string;
  /** Bytes on disk kept. */
  durableEnd: number;
  /** Bytes zeroed past it (preallocated zeros included). */
  zeroedBytes: number;
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
 * Zeroes each journalled file past its durable end. The logs treat zeros as their end
 * (they are preallocated with zeros), so recovery stops at the last synced record. Only
 * for a server that is not running (call it between the kill and the restart).
 */
export function loseUnsyncedWrites(dataDir: string): LostWrites[] {
  const lost: LostWrites[] = [];
  for (const journal of findDurabilityJournals(dataDir)) {
    const record = JSON.parse(readFileSync(journal, 'utf8')) as { format?: number; file?: string; durableEnd?: number };
    if (record.format !== 1 || typeof record.file !== 'string' || typeof record.durableEnd !== 'number') continue;
    const file = path.join(path.dirname(journal), record.file);
    let fd: number;
    try {
      fd = openSync(file, 'r+');
    } catch {
      continue;
    }
    try {
      const size = fstatSync(fd).size;
      const zeroed = Math.max(0, size - record.durableEnd);
      const chunk = Buffer.alloc(Math.min(zeroed, 1 << 20));
      const zeros = Buffer.alloc(chunk.length);
      let lostBytes = 0;
      for (let at = record.durableEnd; at < size; at += chunk.length) {
        const n = readSync(fd, chunk, 0, Math.min(chunk.length, size - at), at);
        for (let i = 0; i < n; i++) if (chunk[i] !== 0) lostBytes++;
        writeSync(fd, zeros, 0, n, at);
      }
      lost.push({ file, durableEnd: record.durableEnd, zeroedBytes: zeroed, lostBytes });
    } finally {
      closeSync(fd);
    }
  }
  return lost;
}
