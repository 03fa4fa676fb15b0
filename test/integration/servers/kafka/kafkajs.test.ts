import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompressionTypes, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { decodeRecordSet } from '../../../../protocols/kafka/records/index.js';
import { startTestBroker } from './broker-fixture.js';

describe('kafkajs 2.2.4 against the reference broker', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let kafka: Kafka;
  beforeAll(async () => {
    broker = await startTestBroker();
    kafka = new Kafka({ clientId: 'kz-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('creates, lists, describes and deletes topics with the admin client', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'js-admin', numPartitions: 4, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] })).toBe(true);
      expect(await admin.createTopics({ topics: [{ topic: 'js-admin', numPartitions: 4 }] })).toBe(false);
      expect(await admin.listTopics()).toContain('js-admin');
      const meta = await admin.fetchTopicMetadata({ topics: ['js-admin'] });
      expect(meta.topics[0]!.partitions).toHaveLength(4);
      await expect(admin.createTopics({ topics: [{ topic: 'js-rf3', replicationFactor: 3 }] })).rejects.toMatchObject({
        errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
      });
      await admin.deleteTopics({ topics: ['js-admin'] });
      expect(await admin.listTopics()).not.toContain('js-admin');
    } finally {
      await admin.disconnect();
    }
  });

  it('produces with keys, headers and gzip; offsets and records land as sent', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'js-produce', numPartitions: 2 }] });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const sent = await producer.send({
        topic: 'js-produce',
        compression: CompressionTypes.GZIP,
        acks: -1,
        messages: Array.from({ length: 50 }, (_, i) => ({ partition: 1, key: `key-${i}`, value: `value-${i}`, headers: { trace: `t-${i}` }, timestamp: String(1_700_000_000_000 + i) })),
      });
      expect(sent).toEqual([expect.objectContaining({ topicName: 'js-produce', partition: 1, errorCode: 0, baseOffset: '0' })]);
      await producer.send({ topic: 'js-produce', acks: 1, messages: [{ partition: 1, value: 'plain' }] });

      const offsets = await admin.fetchTopicOffsets('js-produce');
      expect(offsets.find((o) => o.partition === 1)).toMatchObject({ offset: '51', low: '0', high: '51' });
      const byTime = await admin.fetchTopicOffsetsByTimestamp('js-produce', 1_700_000_000_010);
      expect(byTime.find((o) => o.partition === 1)!.offset).toBe('10');

      const batches = await decodeRecordSet(broker.state.partitionLog('js-produce', 1)!.read(0, 1 << 20).records!);
      expect(batches[0]!.attributes & 7).toBe(1); // gzip kept as the producer sent it
      const records = batches.flatMap((b) => b.records.map((r) => ({ offset: b.baseOffset + r.offsetDelta, key: r.key?.toString(), value: r.value?.toString(), h: r.headers[0]?.value?.toString() })));
      expect(records[42]).toEqual({ offset: 42, key: 'key-42', value: 'value-42', h: 't-42' });
      expect(records[50]).toMatchObject({ offset: 50, value: 'plain' });
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('describes and alters topic configs, adds partitions and deletes records', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'js-configs', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
      const describe = async () => {
        const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'js-configs' }] });
        return Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, { value: e.configValue, isDefault: e.isDefault }]));
      };
      let configs = await describe();
      expect(configs['cleanup.policy']).toEqual({ value: 'compact', isDefault: false });
      expect(configs['retention.ms']).toEqual({ value: '604800000', isDefault: true });
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'js-configs', configEntries: [{ name: 'retention.ms', value: '1000' }] }] });
      configs = await describe();
      expect(configs['retention.ms']).toEqual({ value: '1000', isDefault: false });
      expect(configs['cleanup.policy']!.isDefault).toBe(true); // AlterConfigs replaces the whole set
      await expect(
        admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'js-configs', configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }),
      ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });

      await admin.createPartitions({ topicPartitions: [{ topic: 'js-configs', count: 3 }] });
      expect((await admin.fetchTopicMetadata({ topics: ['js-configs'] })).topics[0]!.partitions).toHaveLength(3);

      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'js-configs', messages: Array.from({ length: 10 }, (_, i) => ({ partition: 2, key: `k${i}`, value: `v${i}` })) });
      await producer.disconnect();
      await admin.deleteTopicRecords({ topic: 'js-configs', partitions: [{ partition: 2, offset: '4' }] });
      expect((await admin.fetchTopicOffsets('js-configs')).find((o) => o.partition === 2)).toMatchObject({ low: '4', high: '10' });
      const cluster = await admin.describeCluster();
      expect(cluster).toMatchObject({ controller: 1, brokers: [{ nodeId: 1, host: '127.0.0.1', port: broker.port }] });
    } finally {
      await admin.disconnect();
    }
  });

  it('fetches with kafkajs\'s own Fetch v11 request (partition-assigned, no group)', async () => {
    // kafkajs consumers are group-based (issue #5); its broker connection can fetch directly.
    const require = createRequire(import.meta.url);
    const Cluster = require('kafkajs/src/cluster/index.js');
    const socketFactory = require('kafkajs/src/network/socketFactory.js')();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'js-fetch', messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();
    const cluster = new Cluster({ brokers: [broker.bootstrap], clientId: 'kz-fetch', logger: kafka.logger(), socketFactory, connectionTimeout: 10_000, requestTimeout: 30_000 });
    await cluster.connect();
    try {
      await cluster.refreshMetadata();
      const leader = await cluster.findBroker({ nodeId: '1' });
      const response = await leader.fetch({
        maxWaitTime: 100,
        isolationLevel: 1,
        topics: [{ topic: 'js-fetch', partitions: [{ partition: 0, fetchOffset: '1', maxBytes: 1 << 20 }] }],
      });
      const p = response.responses[0].partitions[0];
      expect(p.errorCode).toBe(0);
      expect(p.highWatermark).toBe('3');
      expect(p.lastStableOffset).toBe('3');
      // Whole batches come back (the batch holding offset 1 starts at 0); consumers skip below the fetch offset.
      expect(p.messages.map((m: { offset: string; value: Buffer }) => [m.offset, m.value.toString()])).toEqual([
        ['0', 'a'],
        ['1', 'b'],
        ['2', 'c'],
      ]);
    } finally {
      await cluster.disconnect();
    }
  });
});
