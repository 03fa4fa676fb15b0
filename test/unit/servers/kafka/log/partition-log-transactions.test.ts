import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../protocols/kafka/error-codes.js';
import { ControlRecordType } from '../../../../../protocols/kafka/records/end-transaction-marker.js';
import { buildControlBatch, buildRecordBatch, decodeRecordSet } from '../../../../../protocols/kafka/records/index.js';
import { LogCleaner } from '../../../../../servers/kafka/log/log-cleaner.js';
import { PartitionLog } from '../../../../../servers/kafka/log/partition-log.js';
import type { AppendOrigin } from '../../../../../servers/kafka/producer/producer-state-manager.js';
import { ProducerStateError } from '../../../../../servers/kafka/producer/producer-state-error.js';
import { config, tempDir } from './log-fixtures.js';

interface Producer {
  pid: number;
  epoch: number;
  seq: number;
}

async function send(log: PartitionLog, p: Producer, values: string[], opts: { transactional?: boolean; origin?: AppendOrigin; keys?: string[]; seq?: number } = {}) {
  const batch = await buildRecordBatch(
    values.map((value, i) => ({ key: opts.keys?.[i] ?? null, value })),
    { producerId: p.pid, producerEpoch: p.epoch, baseSequence: opts.seq ?? p.seq, transactional: opts.transactional },
  );
  const r = log.append(batch, [[0, batch.length]], 0, Date.now(), opts.origin ?? 'client');
  if (opts.seq === undefined && !r.duplicate) p.seq += values.length;
  return r;
}

async function marker(log: PartitionLog, p: Producer, commit: boolean, coordinatorEpoch = 0) {
  const batch = await buildControlBatch({ type: commit ? ControlRecordType.commit : ControlRecordType.abort, coordinatorEpoch }, { producerId: p.pid, producerEpoch: p.epoch, timestamp: Date.now() });
  return log.append(batch, [[0, batch.length]], 0, Date.now(), 'coordinator');
}

function producerError(f: () => unknown): Promise<number> {
  return Promise.resolve()
    .then(f)
    .then(
      () => -1,
      (err: unknown) => {
        if (err instanceof ProducerStateError) return err.errorCode;
        throw err;
      },
    );
}

describe('partition log: idempotence, transactions, the LSO and the aborted-transaction index', () => {
  let t: ReturnType<typeof tempDir>;
  afterEach(() => t?.cleanup());

  it('answers retries with the original offsets and refuses gaps, stale epochs and non-transactional writes inside a transaction', async () => {
    t = tempDir();
    const log = new PartitionLog(join(t.dir, 'x-0'), 'x', 0, config());
    const p: Producer = { pid: 7, epoch: 0, seq: 0 };
    expect(await send(log, p, ['a', 'b'])).toMatchObject({ baseOffset: 0, lastOffset: 1 });
    expect(await send(log, p, ['c'])).toMatchObject({ baseOffset: 2 });
    expect(await send(log, p, ['a', 'b'], { seq: 0 })).toMatchObject({ baseOffset: 0, lastOffset: 1, duplicate: true });
    expect(log.logEndOffset).toBe(3);
    expect(await producerError(() => send(log, p, ['x'], { seq: 9 }))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await producerError(() => send(log, { ...p, epoch: 1 }, ['x'], { seq: 3 }))).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await send(log, { ...p, epoch: 1 }, ['d'], { seq: 0 })).toMatchObject({ baseOffset: 3 });
    expect(await producerError(() => send(log, p, ['old'], { seq: 3 }))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    // A producer the partition has never seen may start at any sequence (as after expiry).
    expect(await send(log, { pid: 99, epoch: 0, seq: 500 }, ['late'])).toMatchObject({ baseOffset: 4 });

    const tx: Producer = { pid: 8, epoch: 0, seq: 0 };
    await send(log, tx, ['t1'], { transactional: true });
    expect(await producerError(() => send(log, tx, ['plain']))).toBe(ErrorCode.INVALID_TXN_STATE);
    // Markers come from the coordinator: an older producer epoch or coordinator epoch is refused.
    await marker(log, { ...tx, epoch: 1 }, false, 3);
    expect(await producerError(() => marker(log, tx, true, 3))).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await producerError(() => marker(log, { ...tx, epoch: 1 }, true, 2))).toBe(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
    log.close();
  });

  it('holds the LSO at the oldest open transaction and indexes aborted ones in the marker’s segment', async () => {
    t = tempDir();
    const log = new PartitionLog(join(t.dir, 'x-0'), 'x', 0, config());
    const a: Producer = { pid: 1, epoch: 0, seq: 0 };
    const b: Producer = { pid: 2, epoch: 0, seq: 0 };
    await send(log, a, ['a0', 'a1', 'a2'], { transactional: true }); // 0-2
    await send(log, b, ['b0', 'b1'], { transactional: true }); // 3-4
    await send(log, { pid: -1, epoch: -1, seq: -1 }, ['plain']); // 5
    expect(log.highWatermark).toBe(6);
    expect(log.lastStableOffset).toBe(0);
    log.roll(); // the ABORT goes to a new segment
    expect(existsSync(join(log.dir, '00000000000000000006.snapshot'))).toBe(true);
    await marker(log, a, false); // 6
    expect(log.lastStableOffset).toBe(3);
    await marker(log, b, true); // 7
    expect(log.lastStableOffset).toBe(8);
    const aborted = { producerId: 1, firstOffset: 0, lastOffset: 6, lastStableOffset: 3 };
    expect(log.collectAbortedTxns(0, 8)).toEqual([aborted]);
    expect(log.collectAbortedTxns(5, 6)).toEqual([aborted]); // overlaps through the marker
    expect(log.collectAbortedTxns(7, 8)).toEqual([]);
    expect(readdirSync(log.dir).filter((n) => n.endsWith('.txnindex'))).toEqual(['00000000000000000006.txnindex']);
    log.close();

    // A crash: no shutdown snapshot, recovery from offset 0 rebuilds producer state and the index.
    for (const n of readdirSync(log.dir)) if (n.endsWith('.snapshot') || n.endsWith('.txnindex')) rmSync(join(log.dir, n));
    const again = new PartitionLog(join(t.dir, 'x-0'), 'x', 0, config(), { recoverFrom: 0 });
    expect(again.collectAbortedTxns(0, 8)).toEqual([aborted]);
    expect(again.lastStableOffset).toBe(8);
    expect(again.producerState.get(1)!.currentTxnFirstOffset).toBeUndefined();
    expect(await send(again, { pid: 1, epoch: 0, seq: 0 }, ['a0', 'a1', 'a2'], { seq: 0, transactional: true })).toMatchObject({ baseOffset: 0, duplicate: true });
    again.close();
  });

  it('keeps an open transaction open across a restart (snapshot at shutdown)', async () => {
    t = tempDir();
    let log = new PartitionLog(join(t.dir, 'x-0'), 'x', 0, config());
    const a: Producer = { pid: 1, epoch: 0, seq: 0 };
    await send(log, { pid: -1, epoch: -1, seq: -1 }, ['before']);
    await send(log, a, ['open'], { transactional: true });
    log.snapshotProducerState();
    log.close();
    log = new PartitionLog(join(t.dir, 'x-0'), 'x', 0, config());
    expect(log.lastStableOffset).toBe(1);
    expect(log.read(0, 1 << 20, log.lastStableOffset).records).toBeDefined();
    const committedView = await decodeRecordSet(log.read(0, 1 << 20, log.lastStableOffset).records!);
    expect(committedView.flatMap((b) => b.records.map((r) => r.value!.toString()))).toEqual(['before']);
    await marker(log, a, true);
    expect(log.lastStableOffset).toBe(3);
    log.close();
  });

  it('compaction drops aborted records, keeps markers, and never touches an open transaction', async () => {
    t = tempDir();
    const log = new PartitionLog(join(t.dir, 'c-0'), 'c', 0, config({ cleanupPolicy: { delete: false, compact: true } }));
    const plain: Producer = { pid: -1, epoch: -1, seq: -1 };
    const a: Producer = { pid: 1, epoch: 0, seq: 0 };
    await send(log, plain, ['k-v1'], { keys: ['k'] }); // 0
    await send(log, a, ['k-aborted'], { transactional: true, keys: ['k'] }); // 1
    await marker(log, a, false); // 2
    log.roll();
    const b: Producer = { pid: 2, epoch: 0, seq: 0 };
    await send(log, b, ['j-open'], { transactional: true, keys: ['j'] }); // 3
    await send(log, plain, ['j-plain'], { keys: ['j'] }); // 4
    log.roll();
    await send(log, plain, ['later'], { keys: ['z'] }); // 5
    const cleaner = new LogCleaner();
    await cleaner.clean(log, Date.now());
    const batches = [];
    for (let offset = 0; offset < log.logEndOffset; ) {
      const read = await decodeRecordSet(log.read(offset, 1 << 20, log.logEndOffset).records!);
      batches.push(...read);
      offset = read[read.length - 1]!.baseOffset + read[read.length - 1]!.lastOffsetDelta + 1;
    }
    const records = batches
      .filter((bt) => (bt.attributes & 0x20) === 0)
      .flatMap((bt) => bt.records.map((r) => ({ offset: bt.baseOffset + r.offsetDelta, value: r.value?.toString() ?? null })));
    // The aborted write to k does not shadow k-v1; the segment with the open transaction is not
    // cleaned, so j-open survives next to the later j-plain.
    expect(records.map((r) => r.value)).toEqual(['k-v1', 'j-open', 'j-plain', 'later']);
    expect(records.find((r) => r.value === 'k-v1')).toEqual({ offset: 0, value: 'k-v1' });
    expect(records.find((r) => r.value === 'k-aborted')).toBeUndefined();
    expect(records.find((r) => r.value === 'j-open')).toEqual({ offset: 3, value: 'j-open' });
    expect(batches.some((bt) => (bt.attributes & 0x20) !== 0 && bt.baseOffset === 2)).toBe(true); // the ABORT marker stays
    log.close();
  });
});
