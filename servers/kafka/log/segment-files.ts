import { join } from 'node:path';

/** Apache names segment files by their base offset, zero-padded to 20 digits. */
export function segmentBaseName(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export const SegmentSuffix = {
  log: '.log',
  index: '.index',
  timeIndex: '.timeindex',
  txnIndex: '.txnindex',
  /** A cleaned copy still being written: discarded on recovery. */
  cleaned: '.cleaned',
  /** A finished cleaned copy that replaces the segment of the same base offset. */
  swap: '.swap',
} as const;

export function segmentPath(dir: string, baseOffset: number, suffix: string): string {
  return join(dir, segmentBaseName(baseOffset) + suffix);
}

/** Base offset of a file named like `00000000000000000042.log`, or undefined. */
export function parseSegmentFileName(name: string, suffix: string): number | undefined {
  if (!name.endsWith(suffix)) return undefined;
  const stem = name.slice(0, -suffix.length);
  return /^\d{20}$/.test(stem) ? Number(stem) : undefined;
}

/** `topic-3` → { topic, partition }; Apache's partition directory naming. */
export function parsePartitionDirName(name: string): { topic: string; partition: number } | undefined {
  const m = /^(.+)-(\d+)$/.exec(name);
  if (!m) return undefined;
  return { topic: m[1]!, partition: Number(m[2]) };
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
