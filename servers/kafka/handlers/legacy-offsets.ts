import type { PartitionLog } from '../log/partition-log.js';

const LATEST = -1;
const EARLIEST = -2;

/**
 * ListOffsets v0 (oldStyleOffsets), as Apache 3.9's UnifiedLog.legacyFetchOffsetsBefore and
 * Partition.legacyFetchOffsetsForTimestamp answer it: the candidates are each segment's first
 * offset stamped with the segment's last write time, plus the log end offset stamped now
 * when the active segment holds data. Latest (-1) starts from the last candidate, earliest
 * (-2) from the first, a timestamp from the last candidate written at or before it; up to
 * maxNumOffsets offsets are returned from there backwards, newest first. A consumer
 * (replicaId -1) never sees offsets past the high watermark: they collapse into it.
 */
export function legacyOffsetsBefore(log: PartitionLog, timestamp: number, maxNumOffsets: number, fromConsumer: boolean, now: number): number[] {
  const segments = log.segmentTimes();
  const candidates = segments.map((s) => ({ offset: s.firstOffset, time: s.lastModified }));
  if (segments[segments.length - 1]!.size > 0) candidates.push({ offset: log.logEndOffset, time: now });

  let start: number;
  if (timestamp === LATEST) start = candidates.length - 1;
  else if (timestamp === EARLIEST) start = 0;
  else {
    start = candidates.length - 1;
    while (start >= 0 && candidates[start]!.time > timestamp) start--;
  }
  const offsets: number[] = [];
  for (let i = start; i >= 0 && offsets.length < maxNumOffsets; i--) offsets.push(candidates[i]!.offset);
  offsets.sort((a, b) => b - a);

  if (!fromConsumer) return offsets;
  const hw = log.highWatermark;
  if (!offsets.some((o) => o > hw)) return offsets;
  return [hw, ...offsets.filter((o) => o <= hw)];
}
