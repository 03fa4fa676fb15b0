import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlRecordType } from '../../../../../protocols/kafka/records/end-transaction-marker.js';
import { buildControlBatch, buildRecordBatch, decodeRecordSet } from '../../../../../protocols/kafka/records/index.js';
import { KafkaFaultInjection, durabilityJournalEnvVar } from '../../../../../servers/kafka/fault-injection.js';
import { DurabilityJournal, durabilityJournalFile } from '../../../../../servers/kafka/log/durability-journal.js';
import { PartitionLog, type DurabilityOptions } from '../../../../../servers/kafka/log/partition-log.js';
import { loseUnsyncedWrites } from '../../../../../workloads/nemesis/unsynced-writes.js';
import { appendMessages, config, tempDir, values } from './log-fixtures.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function newDir(): string {
  const t = tempDir('kz-durable-');
  cleanups.push(t.cleanup);
  return join(t.dir, 'topic-0');
}

const journalOn: DurabilityOptions = { journal: true, skipFsync: false };
const segmentFile = (base: number) => `${String(base).padStart(20, '0')}.log`;
const journalOf = (dir: string) => JSON.parse(readFileSync(join(dir, durabilityJournalFile), 'utf8')) as { format: number; file: string; durableEnd: number; preallocated: boolean };

async function values_(log: PartitionLog): Promise<string[]> {
  const out: string[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20);
    if (!records) break;
    for (const b of await decodeRecordSet(records)) {
      for (const r of b.records) if (b.baseOffset + r.offsetDelta >= offset && r.value) out.push(r.value.toString());
      offset = b.baseOffset + b.lastOffsetDelta + 1;
    }
  }
  return out;
}

/** What a SIGKILL leaves: files closed, no flush, no clean-shutdown work. */
function crash(log: PartitionLog): void {
  log.close();
}

/** Entries of the offset index (relOffset, position) and time index (timestamp, relOffset) on disk. */
function indexFiles(dir: string, base: number) {
  const name = String(base).padStart(20, '0');
  const idx = readFileSync(join(dir, `${name}.index`));
  const tix = readFileSync(join(dir, `${name}.timeindex`));
  const offsets = Array.from({ length: idx.length / 8 }, (_, i) => ({ rel: idx.readInt32BE(i * 8), position: idx.readInt32BE(i * 8 + 4) }));
  const times = Array.from({ length: tix.length / 12 }, (_, i) => ({ rel: tix.readInt32BE(i * 12 + 8) }));
  return { offsets, times };
}

describe('Kafka log durability journal (KZBENCH_DURABILITY_JOURNAL)', () => {
  it('is read from the environment, off by default, and writes nothing when off', async () => {
    expect(KafkaFaultInjection.fromEnvironment({}).journal).toBe(false);
    const on = KafkaFaultInjection.fromEnvironment({ [durabilityJournalEnvVar]: '1', KZBENCH_INJECT_BUG: 'skip-fsync' });
    expect(on.journal).toBe(true);
    expect(on.skipsFsync).toBe(true);
    expect(on.banner).toContain('skip-fsync');
    expect(on.banner).toContain('durability journal on');
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config({ flushMessages: 1 }), { durability: { journal: false, skipFsync: false } });
    await appendMessages(log, values('a', 2));
    log.close();
    expect(existsSync(join(dir, durabilityJournalFile))).toBe(false);
  });

  it("with Apache's default flush policy nothing appended is durable until a flush", async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config(), { durability: journalOn });
    expect(journalOf(dir)).toEqual({ format: 1, file: segmentFile(0), durableEnd: 0, preallocated: false });
    for (let i = 0; i < 5; i++) await appendMessages(log, values(`v${i}`, 3));
    expect(journalOf(dir).durableEnd).toBe(0);
    log.flush();
    expect(journalOf(dir).durableEnd).toBe(log.activeSegment.size);
    expect(log.activeSegment.size).toBeGreaterThan(0);
    log.close();
  });

  it('flush.messages=1: every append is durable before it returns', async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config({ flushMessages: 1 }), { durability: journalOn });
    for (let i = 0; i < 4; i++) {
      await appendMessages(log, values(`v${i}`, 2));
      expect(journalOf(dir).durableEnd).toBe(statSync(join(dir, segmentFile(0))).size);
    }
    log.close();
  });

  it('flush.messages=3 counts messages, not batches', async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config({ flushMessages: 3 }), { durability: journalOn });
    await appendMessages(log, values('a', 2));
    expect(journalOf(dir).durableEnd).toBe(0);
    await appendMessages(log, values('b', 1));
    expect(journalOf(dir).durableEnd).toBe(log.activeSegment.size);
    log.close();
  });

  it('flush.ms: a due timed flush (the log manager\'s scheduler) journals the active segment', async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config({ flushMs: 50 }), { durability: journalOn });
    await appendMessages(log, values('a', 2));
    log.flushIfDue(Date.now() - 1000); // not due yet
    expect(journalOf(dir).durableEnd).toBe(0);
    log.flushIfDue(Date.now() + 1000);
    expect(journalOf(dir).durableEnd).toBe(log.activeSegment.size);
    log.close();
  });

  it('skip-fsync: the flush counts as done (recovery point moves) but the journal, the disk, does not move', async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config({ flushMessages: 1 }), { durability: { journal: true, skipFsync: true } });
    for (let i = 0; i < 3; i++) await appendMessages(log, values(`v${i}`, 2));
    expect(log.recoveryPoint).toBe(6);
    expect(journalOf(dir).durableEnd).toBe(0);
    log.close();
  });

  it('a roll flushes the old segment for good and journals the new one from 0', async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config({ segmentBytes: 600 }), { durability: journalOn });
    while (log.segmentCount < 2) await appendMessages(log, values('x', 4));
    const active = log.segmentBaseOffsets().at(-1)!;
    // The batch that rolled went into the new segment, unflushed.
    expect(journalOf(dir)).toMatchObject({ file: segmentFile(active), durableEnd: 0 });
    log.close();
  });

  it('a clean shutdown leaves the whole active segment journalled as durable, kept on reopen', async () => {
    const dir = newDir();
    const log = new PartitionLog(dir, 'topic', 0, config(), { durability: journalOn });
    await appendMessages(log, values('a', 5));
    log.flush(); // what LogManager.close does before the clean-shutdown marker
    log.close();
    const size = statSync(join(dir, segmentFile(0))).size;
    const again = new PartitionLog(dir, 'topic', 0, config(), { durability: journalOn });
    expect(journalOf(dir).durableEnd).toBe(size);
    again.close();
  });

  it('a log that predates the journal: durable after a clean shutdown, not after a crash', async () => {
    const clean = newDir();
    const a = new PartitionLog(clean, 'topic', 0, config(), { durability: { journal: false, skipFsync: false } });
    await appendMessages(a, values('a', 5));
    a.close();
    new PartitionLog(clean, 'topic', 0, config(), { durability: journalOn }).close();
    expect(journalOf(clean).durableEnd).toBe(statSync(join(clean, segmentFile(0))).size);

    const crashed = newDir();
    const b = new PartitionLog(crashed, 'topic', 0, config(), { durability: { journal: false, skipFsync: false } });
    await appendMessages(b, values('b', 5));
    b.close();
    new PartitionLog(crashed, 'topic', 0, config(), { durability: journalOn, recoverFrom: 0 }).close();
    expect(journalOf(crashed).durableEnd).toBe(0);
  });
});

describe('Kafka log recovery after lost unsynced writes', () => {
  /** 10 synced batches of 3, then 10 more that only reached the page cache. */
  async function crashedWithUnsyncedTail(dir: string) {
    const log = new PartitionLog(dir, 'topic', 0, config(), { durability: journalOn });
    for (let i = 0; i < 10; i++) await appendMessages(log, values(`synced${i}`, 3, 1000 + i));
    log.flush();
    const durable = log.activeSegment.size;
    for (let i = 0; i < 10; i++) await appendMessages(log, values(`lost${i}`, 3, 2000 + i));
    const written = log.activeSegment.size;
    crash(log);
    return { durable, written };
  }

  it('the nemesis cuts the segment back to its journalled end; recovery loses nothing synced and rebuilds the indexes', async () => {
    const dir = newDir();
    const { durable, written } = await crashedWithUnsyncedTail(dir);
    expect(indexFiles(dir, 0).offsets.some((e) => e.position >= durable)).toBe(true); // index entries into the lost tail

    const lost = loseUnsyncedWrites(dir);
    expect(lost).toEqual([{ file: join(dir, segmentFile(0)), durableEnd: durable, how: 'truncated', cutBytes: written - durable, lostBytes: expect.any(Number) }]);
    expect(lost[0]!.lostBytes).toBeGreaterThan(0);
    expect(statSync(join(dir, segmentFile(0))).size).toBe(durable);

    const log = new PartitionLog(dir, 'topic', 0, config(), { durability: journalOn, recoverFrom: 0 });
    expect(log.recoveredBytesTruncated).toBe(0); // the file simply ends at the last synced batch
    expect(log.logEndOffset).toBe(30);
    expect(await values_(log)).toEqual(Array.from({ length: 10 }, (_, i) => [0, 1, 2].map((j) => `synced${i}-${j}`)).flat());
    const { offsets, times } = indexFiles(dir, 0);
    expect(offsets.length).toBeGreaterThan(0);
    expect(offsets.every((e) => e.position < durable && e.rel < 30)).toBe(true);
    expect(times.every((e) => e.rel < 30)).toBe(true);
    expect(await log.offsetForTimestamp(2000)).toBeUndefined(); // no timestamp of the lost batches survives
    expect(await log.offsetForTimestamp(1009)).toEqual({ offset: 27, timestamp: 1009 });
    // Appends continue at the recovered end, and the journal says what is on disk.
    expect((await appendMessages(log, values('after', 1))).baseOffset).toBe(30);
    expect(journalOf(dir).durableEnd).toBe(durable);
    log.close();
  });

  it('a zeroed tail (what a file system that keeps the size leaves) ends the log at the last synced batch', async () => {
    const dir = newDir();
    const { durable, written } = await crashedWithUnsyncedTail(dir);
    const fd = openSync(join(dir, segmentFile(0)), 'r+');
    writeSync(fd, Buffer.alloc(written - durable), 0, written - durable, durable);
    closeSync(fd);
    const log = new PartitionLog(dir, 'topic', 0, config(), { durability: journalOn, recoverFrom: 0 });
    expect(log.recoveredBytesTruncated).toBe(written - durable);
    expect(statSync(join(dir, segmentFile(0))).size).toBe(durable);
    expect(log.logEndOffset).toBe(30);
    expect((await values_(log)).at(-1)).toBe('synced9-2');
    expect(indexFiles(dir, 0).offsets.every((e) => e.position < durable)).toBe(true);
    expect((await appendMessages(log, values('after', 1))).baseOffset).toBe(30);
    log.close();
  });

  it('an abort marker in the lost tail leaves the transaction index and producer state; one before it stays', async () => {
    const dir = newDir();
    const opts = { durability: journalOn };
    const log = new PartitionLog(dir, 'topic', 0, config(), opts);
    const txn = async (pid: number, seq: number, commit: boolean) => {
      const batch = await buildRecordBatch([{ key: null, value: `p${pid}` }], { producerId: pid, producerEpoch: 0, baseSequence: seq, transactional: true });
      log.append(batch, [[0, batch.length]], 0, Date.now(), 'client');
      const m = await buildControlBatch({ type: commit ? ControlRecordType.commit : ControlRecordType.abort, coordinatorEpoch: 0 }, { producerId: pid, producerEpoch: 0, timestamp: Date.now() });
      log.append(m, [[0, m.length]], 0, Date.now(), 'coordinator');
    };
    await txn(1, 0, false); // offsets 0-1, aborted, synced
    log.flush();
    log.snapshotProducerState(); // a snapshot at 2 (synced)
    await txn(2, 0, false); // offsets 2-3, aborted, lost
    log.snapshotProducerState(); // a snapshot at 4: of a log the crash will take away
    expect(log.allAbortedTxns().map((t) => t.producerId)).toEqual([1, 2]);
    crash(log);
    loseUnsyncedWrites(dir);

    const again = new PartitionLog(dir, 'topic', 0, config(), { ...opts, recoverFrom: 0 });
    expect(again.logEndOffset).toBe(2);
    expect(again.allAbortedTxns().map((t) => t.producerId)).toEqual([1]);
    expect(again.collectAbortedTxns(0, 10).map((t) => t.producerId)).toEqual([1]);
    expect(again.lastStableOffset).toBe(2);
    expect(existsSync(join(dir, `${String(4).padStart(20, '0')}.snapshot`))).toBe(false);
    // Producer 2's lost batch is unknown: its sequence 0 is accepted again at the new end.
    const batch = await buildRecordBatch([{ key: null, value: 'p2 again' }], { producerId: 2, producerEpoch: 0, baseSequence: 0 });
    expect(again.append(batch, [[0, batch.length]], 0, Date.now(), 'client')).toMatchObject({ baseOffset: 2 });
    again.close();
  });

  it('a journal record reads back; an unreadable one counts as none, for the log and the nemesis', async () => {
    const t = tempDir('kz-durable-');
    cleanups.push(t.cleanup);
    const j = new DurabilityJournal(t.dir);
    expect(j.read()).toBeUndefined();
    j.record(join(t.dir, segmentFile(7)), 42);
    expect(j.read()).toEqual({ file: segmentFile(7), durableEnd: 42 });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(j.path, '{"format":1,"file":');
    expect(j.read()).toBeUndefined();
    expect(loseUnsyncedWrites(t.dir)).toEqual([]);
  });
});
