import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CompressionType, decodeRecordSet, hasDeleteHorizon } from '../../../../../protocols/kafka/records/index.js';
import { LogCleaner } from '../../../../../servers/kafka/log/log-cleaner.js';
import { PartitionLog } from '../../../../../servers/kafka/log/partition-log.js';
import { appendMessages, config, tempDir } from './log-fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function dump(log: PartitionLog) {
  const batches = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20);
    if (!records) break;
    const set = await decodeRecordSet(records);
    batches.push(...set);
    offset = set.at(-1)!.baseOffset + set.at(-1)!.lastOffsetDelta + 1;
  }
  return batches;
}

describe('LogCleaner (cleanup.policy=compact)', () => {
  it('keeps the latest value per key, preserves offsets and batch bounds, expires tombstones after delete.retention.ms', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const cfg = config({ segmentBytes: 600, cleanupPolicy: { delete: false, compact: true }, deleteRetentionMs: 1000, minCleanableDirtyRatio: 0 });
    const log = new PartitionLog(join(t.dir, 'c-0'), 'c', 0, cfg);
    const ts = 1_000_000;
    // Keys a, b, c rewritten over many batches; b deleted (tombstone) midway.
    for (let round = 0; round < 12; round++) {
      await appendMessages(
        log,
        [
          { key: 'a', value: `a${round}`, timestamp: ts + round },
          { key: 'b', value: round === 6 ? null : `b${round}`, timestamp: ts + round },
          { key: `c${round % 3}`, value: `c${round}`, timestamp: ts + round },
        ].filter((m) => !(round > 6 && m.key === 'b')),
        { compression: round % 2 ? CompressionType.gzip : CompressionType.none },
      );
    }
    log.roll();
    const before = await dump(log);
    const bounds = before.map((b) => [b.baseOffset, b.lastOffsetDelta]);
    const cleaner = new LogCleaner();
    const now = ts + 100;
    expect(cleaner.needsCleaning(log, now)).toBe(true);
    const r = await cleaner.clean(log, now);
    expect(r.segmentsCleaned).toBeGreaterThan(0);

    const after = await dump(log);
    const live = new Map<string, { offset: number; value: string | null }>();
    for (const b of after) {
      // Surviving batches keep their original base offset and last offset delta.
      expect(bounds).toContainEqual([b.baseOffset, b.lastOffsetDelta]);
      for (const rec of b.records) {
        const key = rec.key!.toString();
        expect(live.has(key), `key ${key} appears twice after compaction`).toBe(false);
        live.set(key, { offset: b.baseOffset + rec.offsetDelta, value: rec.value?.toString() ?? null });
      }
    }
    expect(live.get('a')!.value).toBe('a11');
    expect(live.get('c2')!.value).toBe('c11');
    expect(live.get('b')!.value).toBeNull(); // tombstone kept until its horizon
    const tombstoneBatch = after.find((b) => b.records.some((x) => x.value === null))!;
    expect(hasDeleteHorizon(tombstoneBatch.attributes)).toBe(true);
    expect(tombstoneBatch.baseTimestamp).toBe(now + 1000);
    // Record timestamps survive the rebase on the horizon.
    const aBatch = after.find((b) => b.records.some((x) => x.key?.toString() === 'a'))!;
    const aRec = aBatch.records.find((x) => x.key?.toString() === 'a')!;
    expect(aBatch.baseTimestamp + aRec.timestampDelta).toBe(ts + 11);

    // Past the horizon the tombstone goes.
    const later = now + 5000;
    await cleaner.clean(log, later);
    const final = await dump(log);
    expect(final.flatMap((b) => b.records).some((x) => x.key?.toString() === 'b')).toBe(false);
    expect(log.logEndOffset).toBe(before.at(-1)!.baseOffset + before.at(-1)!.lastOffsetDelta + 1);
    log.close();
  });
});
