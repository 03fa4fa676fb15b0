import { appendFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecordSet, CompressionType } from '../../../../../protocols/kafka/records/index.js';
import { OffsetOutOfRangeError, PartitionLog } from '../../../../../servers/kafka/log/partition-log.js';
import { appendMessages, config, tempDir, values } from './log-fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function newDir() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return join(t.dir, 'topic-0');
}

async function readAll(log: PartitionLog, from = log.logStartOffset) {
  const out: Array<{ offset: number; value: string | null }> = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20);
    if (!records) break;
    for (const b of await decodeRecordSet(records)) {
      for (const r of b.records) {
        const o = b.baseOffset + r.offsetDelta;
        if (o >= offset) out.push({ offset: o, value: r.value?.toString() ?? null });
      }
      offset = b.baseOffset + b.lastOffsetDelta + 1;
    }
  }
  return out;
}

describe('PartitionLog', () => {
  it('assigns offsets, rolls segments named by 20-digit base offset, reads back in order', async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config({ segmentBytes: 2000 }));
    for (let i = 0; i < 30; i++) {
      const r = await appendMessages(log, values(`b${i}`, 5), { compression: i % 2 ? CompressionType.lz4 : CompressionType.none });
      expect(r.baseOffset).toBe(i * 5);
      expect(r.lastOffset).toBe(i * 5 + 4);
    }
    expect(log.logEndOffset).toBe(150);
    expect(log.segmentCount).toBeGreaterThan(2);
    const files = readdirSync(dir);
    expect(files).toContain('00000000000000000000.log');
    expect(files).toContain('00000000000000000000.index');
    expect(files).toContain('00000000000000000000.timeindex');
    for (const base of log.segmentBaseOffsets()) expect(files).toContain(`${String(base).padStart(20, '0')}.log`);
    const all = await readAll(log);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(all[37]!.value).toBe('b7-2');
    // Reading from the middle of a batch returns that whole batch.
    const mid = await decodeRecordSet(log.read(37, 1).records!);
    expect(mid).toHaveLength(1);
    expect(mid[0]!.baseOffset).toBe(35);
    log.close();
  });

  it('returns at least one whole batch even when it exceeds maxBytes, and stops below maxOffset', async () => {
    const log = new PartitionLog(newDir(), 'topic', 0, config());
    await appendMessages(log, values('x', 100));
    await appendMessages(log, values('y', 100));
    const one = await decodeRecordSet(log.read(0, 10).records!);
    expect(one.map((b) => b.baseOffset)).toEqual([0]);
    const capped = await decodeRecordSet(log.read(0, 1 << 20, 100).records!);
    expect(capped.map((b) => b.baseOffset)).toEqual([0]);
    expect(log.read(200, 100).records).toBeUndefined();
    expect(() => log.read(201, 100)).toThrow(OffsetOutOfRangeError);
    log.close();
  });

  it('applies retention by bytes and by time to whole closed segments only', async () => {
    const log = new PartitionLog(newDir(), 'topic', 0, config({ segmentBytes: 1500, retentionBytes: 3000, retentionMs: -1 }));
    const old = Date.now() - 10 * 86_400_000;
    for (let i = 0; i < 60; i++) await appendMessages(log, values(`v${i}`, 5, old));
    const before = log.segmentCount;
    const deleted = log.applyRetention(Date.now());
    expect(deleted).toBeGreaterThan(0);
    expect(log.segmentCount).toBe(before - deleted);
    expect(log.sizeInBytes - log.closedSegments()[0]!.size).toBeLessThan(3000);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets()[0]);
    expect(() => log.read(0, 100)).toThrow(OffsetOutOfRangeError);

    log.config = config({ segmentBytes: 1500, retentionBytes: -1, retentionMs: 86_400_000 });
    log.applyRetention(Date.now());
    // Everything is older than a day, but the active segment stays.
    expect(log.segmentCount).toBe(1);
    expect(log.logEndOffset).toBe(300);
    log.close();
  });

  it('advances the log start offset with DeleteRecords', async () => {
    const log = new PartitionLog(newDir(), 'topic', 0, config({ segmentBytes: 1500 }));
    for (let i = 0; i < 10; i++) await appendMessages(log, values(`v${i}`, 5));
    expect(log.deleteRecordsBefore(23)).toBe(23);
    expect(log.segmentBaseOffsets()[0]).toBeLessThanOrEqual(23);
    expect(() => log.read(22, 100)).toThrow(OffsetOutOfRangeError);
    expect((await readAll(log))[0]!.offset).toBe(23);
    expect(log.deleteRecordsBefore(10)).toBe(23); // never moves back
    log.close();
  });

  it('finds offsets by timestamp', async () => {
    const log = new PartitionLog(newDir(), 'topic', 0, config({ segmentBytes: 1500 }));
    for (let i = 0; i < 10; i++) {
      await appendMessages(log, [0, 1, 2].map((j) => ({ value: `v${i}-${j}`, timestamp: 1000 + i * 10 + j })));
    }
    expect(await log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 1000 });
    expect(await log.offsetForTimestamp(1052)).toEqual({ offset: 17, timestamp: 1052 });
    expect(await log.offsetForTimestamp(1053)).toEqual({ offset: 18, timestamp: 1060 });
    expect(await log.offsetForTimestamp(5000)).toBeUndefined();
    expect(await log.offsetOfMaxTimestamp()).toEqual({ offset: 29, timestamp: 1092 });
    log.close();
  });

  it('stamps LogAppendTime when the topic asks for it', async () => {
    const log = new PartitionLog(newDir(), 'topic', 0, config({ messageTimestampType: 'LogAppendTime' }));
    const r = await appendMessages(log, values('x', 3, 5), {}, 1_234_567);
    expect(r.logAppendTime).toBe(1_234_567);
    const [b] = await decodeRecordSet(log.read(0, 1000).records!);
    expect(b!.maxTimestamp).toBe(1_234_567);
    expect(b!.attributes & 0x08).toBe(0x08);
    log.close();
  });
});

describe('PartitionLog recovery', () => {
  async function filledLog(dir: string) {
    const log = new PartitionLog(dir, 'topic', 0, config({ segmentBytes: 4000 }));
    for (let i = 0; i < 20; i++) await appendMessages(log, values(`v${i}`, 4));
    log.close();
    return log;
  }

  it('truncates a torn tail and rebuilds missing indexes', async () => {
    const dir = newDir();
    const before = await filledLog(dir);
    const last = before.segmentBaseOffsets().at(-1)!;
    const lastLog = join(dir, `${String(last).padStart(20, '0')}.log`);
    const good = statSync(lastLog).size;
    // A half-written batch at the end, as a crash mid-write would leave.
    const { buildRecordBatch } = await import('../../../../../protocols/kafka/records/index.js');
    const torn = await buildRecordBatch(values('torn', 3));
    appendFileSync(lastLog, torn.subarray(0, torn.length - 7));
    for (const f of readdirSync(dir)) if (f.endsWith('.index') || f.endsWith('.timeindex')) rmSync(join(dir, f));

    const log = new PartitionLog(dir, 'topic', 0, config({ segmentBytes: 4000 }), { recoverFrom: 0 });
    expect(log.recoveredBytesTruncated).toBe(torn.length - 7);
    expect(statSync(lastLog).size).toBe(good);
    expect(log.logEndOffset).toBe(80);
    expect(existsSync(join(dir, '00000000000000000000.index'))).toBe(true);
    const all = await readAll(log);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 80 }, (_, i) => i));
    // Appends continue at the recovered end.
    expect((await appendMessages(log, values('after', 2))).baseOffset).toBe(80);
    log.close();
  });

  it('cuts the log at a corrupt batch (bad CRC) and drops what follows', async () => {
    const dir = newDir();
    await filledLog(dir);
    const first = join(dir, '00000000000000000000.log');
    const size = statSync(first).size;
    const fd = openSync(first, 'r+');
    writeSync(fd, Buffer.from([0xde, 0xad]), 0, 2, Math.floor(size / 2));
    closeSync(fd);
    const log = new PartitionLog(dir, 'topic', 0, config({ segmentBytes: 4000 }), { recoverFrom: 0 });
    expect(log.recoveredBytesTruncated).toBeGreaterThan(0);
    const all = await readAll(log);
    expect(all.length).toBeGreaterThan(0);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: all.length }, (_, i) => i));
    expect(log.logEndOffset).toBe(all.length);
    log.close();
  });

  it('finishes an interrupted compaction swap and discards unfinished output', async () => {
    const dir = newDir();
    await filledLog(dir);
    writeFileSync(join(dir, '00000000000000000000.cleaned'), 'partial garbage');
    const log = new PartitionLog(dir, 'topic', 0, config({ segmentBytes: 4000 }));
    expect(existsSync(join(dir, '00000000000000000000.cleaned'))).toBe(false);
    expect(log.logEndOffset).toBe(80);
    log.close();
  });
});
