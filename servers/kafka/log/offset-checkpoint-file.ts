import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/**
 * Apache's OffsetCheckpointFile (`recovery-point-offset-checkpoint`,
 * `log-start-offset-checkpoint`): a version line (0), a count line, then
 * `topic partition offset` lines. Written to a temp file, fsynced and renamed, so a crash
 * leaves either the old or the new checkpoint.
 */
const VERSION = 0;

export type OffsetCheckpoint = Map<string, number>;

export function checkpointKey(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

export function readOffsetCheckpoint(path: string): OffsetCheckpoint {
  const out: OffsetCheckpoint = new Map();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length < 2 || Number(lines[0]) !== VERSION) return out;
  for (const line of lines.slice(2)) {
    const parts = line.split(' ');
    if (parts.length !== 3) continue;
    const offset = Number(parts[2]);
    if (Number.isFinite(offset)) out.set(`${parts[0]} ${parts[1]}`, offset);
  }
  return out;
}

export function writeOffsetCheckpoint(path: string, entries: OffsetCheckpoint): void {
  const lines = [String(VERSION), String(entries.size), ...[...entries].map(([k, v]) => `${k} ${v}`)];
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, lines.join('\n') + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
