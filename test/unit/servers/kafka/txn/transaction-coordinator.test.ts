import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../../common/logger.js';
import { ErrorCode } from '../../../../../protocols/kafka/error-codes.js';
import { ProducerIdManager } from '../../../../../servers/kafka/txn/producer-id-manager.js';
import { TransactionCoordinator } from '../../../../../servers/kafka/txn/transaction-coordinator.js';
import { TransactionLog } from '../../../../../servers/kafka/txn/transaction-log.js';
import { txnPartitionKey } from '../../../../../servers/kafka/txn/transaction-metadata.js';
import { CoordinatorHost } from '../coordinator/coordinator-host-fixture.js';

describe('transaction coordinator', () => {
  let host: CoordinatorHost;
  let now: number;
  let tc: TransactionCoordinator;
  const make = () => new TransactionCoordinator(host, new TransactionLog(host, { partitions: 3, segmentBytes: 1 << 20 }, silentLogger), new ProducerIdManager(host.dir), { maxTimeoutMs: 900_000, abortTimedOutIntervalMs: 0 }, silentLogger, () => now);
  beforeEach(() => {
    host = new CoordinatorHost();
    host.createTopic('t', 2);
    now = 1_700_000_000_000;
    tc = make();
  });
  afterEach(() => {
    tc.close();
    host.close();
  });

  it('bumps the epoch on every InitProducerId and answers a retried bump (KIP-360) with the same epoch', () => {
    const a = tc.initProducerId('tx', 60_000);
    expect(a).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    const b = tc.initProducerId('tx', 60_000);
    expect(b).toEqual({ errorCode: ErrorCode.NONE, producerId: a.producerId, producerEpoch: 1 });
    const c = tc.initProducerId('tx', 60_000, { producerId: a.producerId, producerEpoch: 1 });
    expect(c.producerEpoch).toBe(2);
    expect(tc.initProducerId('tx', 60_000, { producerId: a.producerId, producerEpoch: 1 })).toMatchObject({ producerEpoch: 2 }); // retry
    expect(tc.initProducerId('tx', 60_000, { producerId: a.producerId, producerEpoch: 0 })).toMatchObject({ errorCode: ErrorCode.PRODUCER_FENCED });
    expect(tc.initProducerId('tx', 60_000, { producerId: 424242, producerEpoch: 0 })).toMatchObject({ errorCode: ErrorCode.PRODUCER_FENCED });
    expect(tc.initProducerId('tx', 0)).toMatchObject({ errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT });
    expect(tc.initProducerId('', 1000)).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
    // Idempotent producers get a new id each time, never one a transactional id holds.
    expect(tc.initProducerId(null, 1000).producerId).not.toBe(a.producerId);
  });

  it('rotates to a new producer id once the epochs are exhausted', () => {
    const first = tc.initProducerId('tx', 60_000);
    const m = tc.get('tx')!;
    tc.txnLog.write({ ...m, producerEpoch: 0x7fff - 1 }, now); // as if 32766 bumps happened, reloaded
    tc.close();
    tc = make();
    return tc.load().then(() => {
      const next = tc.initProducerId('tx', 60_000);
      expect(next.producerId).not.toBe(first.producerId);
      expect(next.producerEpoch).toBe(0);
    });
  });

  it('walks Empty → Ongoing → PrepareCommit → CompleteCommit and answers retries of EndTxn', () => {
    const { producerId: pid, producerEpoch: epoch } = tc.initProducerId('tx', 60_000);
    expect(tc.endTransaction('tx', pid, epoch, true)).toBe(ErrorCode.INVALID_TXN_STATE); // nothing to commit
    expect(tc.addPartitions('tx', pid, epoch, [txnPartitionKey('t', 0), txnPartitionKey('t', 1)])).toBe(ErrorCode.NONE);
    expect(tc.get('tx')).toMatchObject({ state: 'Ongoing', txnStartTimestamp: now });
    expect(tc.verifyPartitions('tx', pid, epoch, [txnPartitionKey('t', 1), txnPartitionKey('u', 0)])).toEqual(
      new Map([
        [txnPartitionKey('t', 1), ErrorCode.NONE],
        [txnPartitionKey('u', 0), ErrorCode.TRANSACTION_ABORTABLE],
      ]),
    );
    expect(tc.addPartitions('tx', pid, epoch + 1, [txnPartitionKey('t', 0)])).toBe(ErrorCode.PRODUCER_FENCED);
    expect(tc.addPartitions('tx', pid + 1, epoch, [txnPartitionKey('t', 0)])).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(tc.endTransaction('tx', pid, epoch, true)).toBe(ErrorCode.NONE);
    expect(tc.get('tx')).toMatchObject({ state: 'CompleteCommit', partitions: new Set() });
    // A COMMIT marker went to both partitions.
    for (const p of [0, 1]) expect(host.partitionLog('t', p)!.logEndOffset).toBe(1);
    expect(tc.endTransaction('tx', pid, epoch, true)).toBe(ErrorCode.NONE);
    expect(tc.endTransaction('tx', pid, epoch, false)).toBe(ErrorCode.INVALID_TXN_STATE);
  });

  it('aborts a transaction past its timeout with a bumped epoch, fencing its producer', () => {
    const { producerId: pid, producerEpoch: epoch } = tc.initProducerId('slow', 5_000);
    tc.addPartitions('slow', pid, epoch, [txnPartitionKey('t', 0)]);
    now += 5_000;
    expect(tc.abortTimedOutTransactions()).toBe(0);
    now += 1;
    expect(tc.abortTimedOutTransactions()).toBe(1);
    expect(tc.get('slow')).toMatchObject({ state: 'CompleteAbort', producerEpoch: epoch + 1 });
    expect(tc.endTransaction('slow', pid, epoch, true)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(host.partitionLog('t', 0)!.producerState.get(pid)!.producerEpoch).toBe(epoch + 1);
  });

  it('reloads state from __transaction_state and completes a prepared transaction', async () => {
    const { producerId: pid, producerEpoch: epoch } = tc.initProducerId('tx', 60_000);
    tc.addPartitions('tx', pid, epoch, [txnPartitionKey('t', 1)]);
    tc.txnLog.write({ ...tc.get('tx')!, state: 'PrepareAbort' }, now);
    tc.close();
    host.reopen();
    tc = make();
    await tc.load();
    expect(tc.get('tx')).toMatchObject({ state: 'CompleteAbort', producerId: pid, producerEpoch: epoch });
    expect(host.partitionLog('t', 1)!.logEndOffset).toBe(1); // the ABORT marker
    expect(tc.list(['CompleteAbort'], [], -1).transactions.map((m) => m.transactionalId)).toEqual(['tx']);
    expect(tc.list(['Nope'], [], -1).unknownStateFilters).toEqual(['Nope']);
  });
});
