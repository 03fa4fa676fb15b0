import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../common/ports.js';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../../protocols/kafka/error-codes.js';
import { buildRecordBatch } from '../../../../protocols/kafka/records/record-batch.js';
import { txnPartitionKey } from '../../../../servers/kafka/txn/transaction-metadata.js';
import { KafkaConnection } from '../../../../workloads/clients/kafka/kafka-connection.js';
import { type TestBroker, startTestBroker } from './broker-fixture.js';
import { type ChildBroker, cliBuilt, startChildBroker } from './child-broker.js';

async function connect(bootstrap: string): Promise<KafkaConnection> {
  const [host, port] = bootstrap.split(':');
  return KafkaConnection.connect({ host: host!, port: Number(port) });
}

/** Produces a batch of `count` records starting at sequence `seq`; the partition's error code and base offset. */
async function produce(conn: KafkaConnection, topic: string, pid: bigint, epoch: number, seq: number, count: number, opts: { transactionalId?: string } = {}) {
  const records = await buildRecordBatch(
    Array.from({ length: count }, (_, i) => ({ value: `s${seq + i}` })),
    { producerId: Number(pid), producerEpoch: epoch, baseSequence: seq, transactional: opts.transactionalId !== undefined },
  );
  const r = await conn.request(KafkaApis.Produce, { transactionalId: opts.transactionalId ?? null, acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] }, 7);
  const p = r.responses[0]!.partitionResponses[0]!;
  return { errorCode: p.errorCode, baseOffset: Number(p.baseOffset) };
}

async function createTopic(conn: KafkaConnection, name: string): Promise<void> {
  await conn.request(KafkaApis.CreateTopics, { topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 10_000 }, 4);
}

describe('producer state and transactions survive a restart', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('after a clean shutdown the snapshot keeps each producer’s last batch: its retry is a duplicate', async () => {
    let broker: TestBroker = await startTestBroker();
    cleanup.push(() => broker.stop());
    let conn = await connect(broker.bootstrap);
    await createTopic(conn, 'idem-clean');
    const { producerId: pid, producerEpoch: epoch } = await conn.request(KafkaApis.InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000 }, 1);
    expect(await produce(conn, 'idem-clean', pid, epoch, 0, 2)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(await produce(conn, 'idem-clean', pid, epoch, 2, 2)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 2 });
    expect(await produce(conn, 'idem-clean', pid, epoch, 4, 2)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 4 });
    conn.close();

    broker = await broker.restart();
    expect(existsSync(join(broker.logDir, 'idem-clean-0', '00000000000000000006.snapshot'))).toBe(true);
    conn = await connect(broker.bootstrap);
    expect(await produce(conn, 'idem-clean', pid, epoch, 4, 2)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 4 });
    // Like Apache, a snapshot holds only the last batch: an older retry is out of order.
    expect((await produce(conn, 'idem-clean', pid, epoch, 2, 2)).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect((await produce(conn, 'idem-clean', pid, epoch, 7, 1)).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produce(conn, 'idem-clean', pid, epoch, 6, 1)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 6 });
    // A new producer id never repeats one handed out before the restart.
    const next = await conn.request(KafkaApis.InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000 }, 1);
    expect(next.producerId).toBeGreaterThan(pid);
    conn.close();
  });

  it.skipIf(!cliBuilt)('after kill -9 the producer state is rebuilt from the log: the last five batches are still duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kz-idem-crash-'));
    const logDir = join(dir, 'logs');
    let child: ChildBroker = await startChildBroker(await freePort(), logDir);
    cleanup.push(async () => {
      await child.kill9();
      rmSync(dir, { recursive: true, force: true });
    });
    let conn = await connect(child.bootstrap);
    await createTopic(conn, 'idem-crash');
    const { producerId: pid, producerEpoch: epoch } = await conn.request(KafkaApis.InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000 }, 1);
    for (let b = 0; b < 7; b++) expect((await produce(conn, 'idem-crash', pid, epoch, b * 3, 3)).baseOffset).toBe(b * 3);
    conn.close();
    await child.kill9();

    child = await startChildBroker(await freePort(), logDir);
    conn = await connect(child.bootstrap);
    for (let b = 2; b < 7; b++) expect(await produce(conn, 'idem-crash', pid, epoch, b * 3, 3)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: b * 3 });
    expect((await produce(conn, 'idem-crash', pid, epoch, 3, 3)).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produce(conn, 'idem-crash', pid, epoch, 21, 1)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 21 });
    conn.close();
    await child.stop();
  });

  it('a transaction logged as PrepareCommit whose markers were never written is committed at startup', async () => {
    let broker: TestBroker = await startTestBroker({ 'transaction.state.log.num.partitions': '3' });
    cleanup.push(() => broker.stop());
    let conn = await connect(broker.bootstrap);
    await createTopic(conn, 'prepared');
    await conn.request(KafkaApis.FindCoordinator, { key: 'tx-prepared', keyType: 1 }, 1);
    const { producerId: pid, producerEpoch: epoch } = await conn.request(KafkaApis.InitProducerId, { transactionalId: 'tx-prepared', transactionTimeoutMs: 60_000 }, 1);
    const add = await conn.request(KafkaApis.AddPartitionsToTxn, { v3AndBelowTransactionalId: 'tx-prepared', v3AndBelowProducerId: pid, v3AndBelowProducerEpoch: epoch, v3AndBelowTopics: [{ name: 'prepared', partitions: [0] }] }, 1);
    expect(add.resultsByTopicV3AndBelow[0]!.resultsByPartition[0]!.partitionErrorCode).toBe(ErrorCode.NONE);
    expect((await produce(conn, 'prepared', pid, epoch, 0, 4, { transactionalId: 'tx-prepared' })).errorCode).toBe(ErrorCode.NONE);
    conn.close();
    // The crash point: PrepareCommit is in __transaction_state, no marker reached the partition.
    const m = broker.state.txns.get('tx-prepared')!;
    expect(m.partitions).toEqual(new Set([txnPartitionKey('prepared', 0)]));
    broker.state.txns.txnLog.write({ ...m, state: 'PrepareCommit', txnLastUpdateTimestamp: Date.now() }, Date.now());
    expect(broker.state.partitionLog('prepared', 0)!.lastStableOffset).toBe(0);

    broker = await broker.restart();
    const log = broker.state.partitionLog('prepared', 0)!;
    expect(log.logEndOffset).toBe(5); // four records and the COMMIT marker
    expect(log.lastStableOffset).toBe(5);
    expect(log.collectAbortedTxns(0, 5)).toEqual([]);
    conn = await connect(broker.bootstrap);
    const d = await conn.request(KafkaApis.DescribeTransactions, { transactionalIds: ['tx-prepared'] }, 0);
    expect(d.transactionStates[0]).toMatchObject({ transactionState: 'CompleteCommit', producerEpoch: epoch });
    conn.close();
  });
});
