import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../common/ports.js';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../../protocols/kafka/error-codes.js';
import { KafkaConnection } from '../../../../workloads/clients/kafka/kafka-connection.js';
import { waitFor } from './broker-fixture.js';
import { type ChildBroker, cliBuilt, startChildBroker } from './child-broker.js';
import { readTopic } from './read-topic.js';

const properties = {
  'group.initial.rebalance.delay.ms': '0',
  'offsets.topic.num.partitions': '5',
  'transaction.state.log.num.partitions': '5',
  'transaction.abort.timed.out.transaction.cleanup.interval.ms': '300',
};

describe.skipIf(!cliBuilt)('kill -9 of the broker with transactions open and a rebalance in flight (run npm run build first)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kz-crash-coord-'));
  const logDir = join(dir, 'logs');
  const brokers: ChildBroker[] = [];
  const clients: Array<{ disconnect(): Promise<void> }> = [];
  afterAll(async () => {
    for (const b of brokers) await b.kill9();
    for (const c of clients) await c.disconnect().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('after restart: committed transactions and offsets are there, open and aborted ones are not', async () => {
    const first = await startChildBroker(await freePort(), logDir, properties);
    brokers.push(first);
    const kafka = (bootstrap: string) => new Kafka({ clientId: 'kz-crash', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 100 } });
    const k1 = kafka(first.bootstrap);
    const admin = k1.admin();
    clients.push(admin);
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'out', numPartitions: 2 }, { topic: 'in', numPartitions: 1 }, { topic: 'live', numPartitions: 3 }] });

    const txnProducer = async (transactionalId: string, transactionTimeout = 60_000) => {
      const p = k1.producer({ transactionalId, transactionTimeout, maxInFlightRequests: 1, idempotent: true });
      clients.push(p);
      await p.connect();
      return p;
    };
    const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ partition: i % 2, value: `${prefix}-${i}` }));
    // Committed: its records and its offset commit must survive.
    const committed = await txnProducer('tx-committed');
    let t = await committed.transaction();
    await t.send({ topic: 'out', messages: values('committed', 10) });
    await t.sendOffsets({ consumerGroupId: 'copy', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '10' }] }] });
    await t.commit();
    // Aborted before the crash.
    const aborted = await txnProducer('tx-aborted');
    t = await aborted.transaction();
    await t.send({ topic: 'out', messages: values('aborted', 6) });
    await t.sendOffsets({ consumerGroupId: 'copy', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '99' }] }] });
    await t.abort();
    // A stable group with committed offsets, then a third member starts joining.
    const consumers: Consumer[] = [];
    const startConsumer = async () => {
      const c = k1.consumer({ groupId: 'live', sessionTimeout: 10_000, heartbeatInterval: 500, retry: { retries: 2 } });
      consumers.push(c);
      clients.push(c);
      await c.connect();
      await c.subscribe({ topic: 'live', fromBeginning: true });
      await c.run({ autoCommit: false, eachMessage: async () => {} });
      return c;
    };
    const a = await startConsumer();
    await startConsumer();
    await waitFor('a stable group of two', async () => {
      const { groups } = await admin.describeGroups(['live']);
      return groups[0]!.state === 'Stable' && groups[0]!.members.length === 2 ? true : undefined;
    });
    await a.commitOffsets([0, 1, 2].map((partition) => ({ topic: 'live', partition, offset: String(7 + partition) })));
    // Open at the crash: its coordinator must abort it (timeout) after the restart.
    const open = await txnProducer('tx-open', 3000);
    t = await open.transaction();
    await t.send({ topic: 'out', messages: values('open', 6) });
    await t.sendOffsets({ consumerGroupId: 'copy', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '20' }] }] });

    void startConsumer().catch(() => {}); // a rebalance begins…
    await new Promise((r) => setTimeout(r, 50));
    const before = (await describeTxn(first.bootstrap, 'tx-open'))!;
    expect(before.transactionState).toBe('Ongoing');
    const epochBefore = before.producerEpoch;
    await first.kill9(); // …and the broker dies

    // Restart on another port, so the clients of the dead broker cannot reach the new one.
    const second = await startChildBroker(await freePort(), logDir, properties);
    brokers.push(second);
    const k2 = kafka(second.bootstrap);

    expect(await fetchOffset(second.bootstrap, 'live', 'live', [0, 1, 2], false)).toEqual([7, 8, 9]);
    // The open transaction's offset commit keeps the partition unstable until the timeout aborts it.
    const copyOffset = await waitFor('the open transaction to be aborted by its timeout', async () => {
      const r = await fetchOffsetResult(second.bootstrap, 'copy', 'in', 0, true);
      return r.errorCode === ErrorCode.UNSTABLE_OFFSET_COMMIT ? undefined : r;
    });
    expect(copyOffset).toEqual({ errorCode: ErrorCode.NONE, offset: 10 });
    const after = (await describeTxn(second.bootstrap, 'tx-open'))!;
    expect(after.transactionState).toBe('CompleteAbort');
    expect(after.producerEpoch).toBe(epochBefore + 1); // the zombie is fenced
    expect((await describeTxn(second.bootstrap, 'tx-committed'))!.transactionState).toBe('CompleteCommit');

    const out = await readTopic(k2, 'out', 2);
    expect(out.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `committed-${i}`).sort());
    // The records of the open and the aborted transaction are in the log, marked aborted.
    expect((await readTopic(k2, 'out', 2, true)).length).toBe(22);

    // Transactions go on after the restart.
    const next = k2.producer({ transactionalId: 'tx-open', maxInFlightRequests: 1, idempotent: true });
    clients.push(next);
    await next.connect();
    const t2 = await next.transaction();
    await t2.send({ topic: 'out', messages: [{ partition: 0, value: 'after-restart' }] });
    await t2.sendOffsets({ consumerGroupId: 'copy', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '30' }] }] });
    await t2.commit();
    expect(await fetchOffset(second.bootstrap, 'copy', 'in', [0], true)).toEqual([30]);
    expect((await readTopic(k2, 'out', 2)).filter((v) => v === 'after-restart')).toHaveLength(1);
    await next.disconnect();
    await second.stop();
  });
});

async function withConnection<T>(bootstrap: string, f: (c: KafkaConnection) => Promise<T>): Promise<T> {
  const [host, port] = bootstrap.split(':');
  const conn = await KafkaConnection.connect({ host: host!, port: Number(port) });
  try {
    return await f(conn);
  } finally {
    conn.close();
  }
}

async function fetchOffsetResult(bootstrap: string, group: string, topic: string, partition: number, requireStable: boolean) {
  return withConnection(bootstrap, async (c) => {
    const r = await c.request(KafkaApis.OffsetFetch, { groupId: group, topics: [{ name: topic, partitionIndexes: [partition] }], requireStable }, 7);
    const p = r.topics[0]!.partitions[0]!;
    return { errorCode: p.errorCode, offset: Number(p.committedOffset) };
  });
}

async function fetchOffset(bootstrap: string, group: string, topic: string, partitions: number[], requireStable: boolean): Promise<number[]> {
  const out: number[] = [];
  for (const p of partitions) out.push((await fetchOffsetResult(bootstrap, group, topic, p, requireStable)).offset);
  return out;
}

async function describeTxn(bootstrap: string, transactionalId: string) {
  return withConnection(bootstrap, async (c) => (await c.request(KafkaApis.DescribeTransactions, { transactionalIds: [transactionalId] }, 0)).transactionStates[0]);
}
