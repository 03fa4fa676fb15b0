import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestBroker, startTestBroker, waitFor } from './broker-fixture.js';
import { readTopic } from './read-topic.js';

describe('kafkajs idempotent and transactional producers against the reference broker', () => {
  let broker: TestBroker;
  const kafka = () => new Kafka({ clientId: 'kz-txn', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 50 } });
  beforeAll(async () => {
    broker = await startTestBroker({
      'offsets.topic.num.partitions': '5',
      'transaction.state.log.num.partitions': '5',
      'transaction.abort.timed.out.transaction.cleanup.interval.ms': '200',
    });
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({
      topics: ['idem', 'copy-in', 'copy-out', 'zombie', 'timeout'].map((topic) => ({ topic, numPartitions: topic === 'idem' ? 1 : 2 })),
    });
    await admin.disconnect();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  const readAll = (topic: string, partitions: number, readUncommitted = false) => readTopic(kafka(), topic, partitions, readUncommitted);

  it('an idempotent producer with five requests in flight stores each record once, in order', async () => {
    const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 5 });
    await producer.connect();
    const sends = Array.from({ length: 40 }, (_, i) => producer.send({ topic: 'idem', acks: -1, messages: [{ partition: 0, value: `m${i}` }] }));
    const results = await Promise.all(sends);
    await producer.disconnect();
    const offsets = results.map((r) => Number(r[0]!.baseOffset)).sort((a, b) => a - b);
    expect(offsets).toEqual(Array.from({ length: 40 }, (_, i) => i));
    const values = await readAll('idem', 1);
    expect(values).toHaveLength(40);
    expect(new Set(values).size).toBe(40);
  });

  it('consume-transform-produce with sendOffsets: committed copies and offsets are visible, aborted ones are not', async () => {
    const seed = kafka().producer();
    await seed.connect();
    for (const partition of [0, 1]) {
      await seed.send({ topic: 'copy-in', messages: Array.from({ length: 30 }, (_, i) => ({ partition, value: `in-${partition}-${i}` })) });
    }
    await seed.disconnect();

    const producer = kafka().producer({ transactionalId: 'kz-copier', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const consumer = kafka().consumer({ groupId: 'kz-copier-group' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'copy-in', fromBeginning: true });
    const abortedOnce = new Set<number>();
    const committedOut: string[] = [];
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        // One transaction per batch; each partition's first is aborted and its input read again.
        const txn = await producer.transaction();
        const values = batch.messages.map((m) => `copy-of-${m.value!.toString()}`);
        await txn.send({ topic: 'copy-out', messages: values.map((value) => ({ value })) });
        const next = (Number(batch.lastOffset()) + 1).toString();
        await txn.sendOffsets({ consumerGroupId: 'kz-copier-group', topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
        if (!abortedOnce.has(batch.partition)) {
          abortedOnce.add(batch.partition);
          await txn.abort();
          consumer.seek({ topic: batch.topic, partition: batch.partition, offset: batch.firstOffset()! });
          return;
        }
        await txn.commit();
        committedOut.push(...values);
        for (const m of batch.messages) resolveOffset(m.offset);
        await heartbeat();
      },
    });
    const admin = kafka().admin();
    await admin.connect();
    await waitFor('every input offset committed in a transaction', async () => {
      const [t] = await admin.fetchOffsets({ groupId: 'kz-copier-group', topics: ['copy-in'] });
      return t!.partitions.every((p) => p.offset === '30') ? true : undefined;
    });
    await consumer.disconnect();
    await producer.disconnect();

    expect(abortedOnce.size).toBe(2);
    const out = await readAll('copy-out', 2);
    expect(out.sort()).toEqual(
      [0, 1].flatMap((p) => Array.from({ length: 30 }, (_, i) => `copy-of-in-${p}-${i}`)).sort(),
    );
    expect(committedOut.sort()).toEqual(out.sort());
    // read_uncommitted also sees the aborted copies: the data was written, then marked aborted.
    const dirty = await readAll('copy-out', 2, true);
    expect(dirty.length).toBeGreaterThan(60);
    expect(new Set(dirty)).toEqual(new Set(out));
    await admin.disconnect();
  });

  it('a second producer with the same transactional id fences the first and aborts its open transaction', async () => {
    const zombie = kafka().producer({ transactionalId: 'kz-zombie', maxInFlightRequests: 1, idempotent: true });
    await zombie.connect();
    const t1 = await zombie.transaction();
    await t1.send({ topic: 'zombie', messages: [{ partition: 0, value: 'from-zombie' }] });

    const successor = kafka().producer({ transactionalId: 'kz-zombie', maxInFlightRequests: 1, idempotent: true });
    await successor.connect();
    const t2 = await successor.transaction(); // InitProducerId: aborts t1 and bumps the epoch
    await t2.send({ topic: 'zombie', messages: [{ partition: 0, value: 'from-successor' }] });
    await t2.commit();

    await expect(t1.commit()).rejects.toThrow(/epoch|fenced/i);
    await zombie.disconnect().catch(() => {});
    await successor.disconnect();
    expect(await readAll('zombie', 2)).toEqual(['from-successor']);
  });

  it('a transaction that outlives its timeout is aborted and its producer fenced', async () => {
    const slow = kafka().producer({ transactionalId: 'kz-slow', transactionTimeout: 1000, maxInFlightRequests: 1, idempotent: true });
    await slow.connect();
    const txn = await slow.transaction();
    await txn.send({ topic: 'timeout', messages: [{ partition: 1, value: 'too-late' }] });
    const admin = kafka().admin();
    await admin.connect();
    // The coordinator's periodic check aborts it: the partition becomes stable again.
    await waitFor('the timed-out transaction to be aborted', async () => {
      const offsets = await admin.fetchTopicOffsets('timeout');
      return offsets.find((o) => o.partition === 1)!.high === '2' ? true : undefined; // data + ABORT marker
    });
    await expect(txn.commit()).rejects.toThrow(/epoch|fenced/i);
    await slow.disconnect().catch(() => {});
    const after = kafka().producer({ transactionalId: 'kz-slow', maxInFlightRequests: 1, idempotent: true });
    await after.connect();
    const t2 = await after.transaction();
    await t2.send({ topic: 'timeout', messages: [{ partition: 1, value: 'in-time' }] });
    await t2.commit();
    await after.disconnect();
    expect(await readAll('timeout', 2)).toEqual(['in-time']);
    await admin.disconnect();
  });
});
