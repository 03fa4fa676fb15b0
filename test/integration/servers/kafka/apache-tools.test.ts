import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApacheDistribution } from '../../../../workloads/launchers/apache-distribution.js';
import { type ApacheToolName, runApacheTool } from '../../../../workloads/launchers/apache-tools.js';
import { cachedApache } from '../../launchers/cached-apache.js';
import { type TestBroker, startTestBroker, waitFor } from './broker-fixture.js';

// Apache's own Java clients and tools (3.9: idempotence on by default, JoinGroup v9, OffsetCommit v9,
// FindCoordinator v4, the AdminClient behind kafka-consumer-groups) against the reference broker.
const version = '3.9.2';
const { dist, reason } = await cachedApache('kafka', version);
if (!dist) console.warn(`skipping the Apache tools against the reference broker: ${reason}`);

// Each case starts several JVMs (tools, consumers): ~50 s on a loaded 2-core machine, so more room than the default 120 s.
describe.skipIf(!dist)(`Apache Kafka ${version} tools and Java clients against the reference broker`, { timeout: 300_000 }, () => {
  let broker: TestBroker;
  const kafka = dist as ApacheDistribution;
  const tool = async (name: ApacheToolName | { mainClass: string }, args: string[], input?: string) => {
    const r = await runApacheTool(kafka, name, args, { input, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${typeof name === 'string' ? name : name.mainClass} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const js = () => new Kafka({ clientId: 'kz-apache-tools', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    broker = await startTestBroker({ 'offsets.topic.num.partitions': '5', 'transaction.state.log.num.partitions': '5' });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  /** `kafka-consumer-groups --describe` rows for a topic: partition → [current offset, log end, lag]. */
  async function describeGroup(group: string, topic: string): Promise<Map<number, string[]>> {
    const out = await tool('kafka-consumer-groups', ['--bootstrap-server', broker.bootstrap, '--describe', '--group', group]);
    const rows = new Map<number, string[]>();
    for (const line of out.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols[0] === group && cols[1] === topic) rows.set(Number(cols[2]), [cols[3]!, cols[4]!, cols[5]!]);
    }
    return rows;
  }

  it('console producer (idempotent) → console consumer in a group → kafka-consumer-groups list, describe, reset, delete', async () => {
    await tool('kafka-topics', ['--bootstrap-server', broker.bootstrap, '--create', '--topic', 'java-tools', '--partitions', '2', '--replication-factor', '1']);
    const lines = Array.from({ length: 10 }, (_, i) => `line-${i}`);
    await tool('kafka-console-producer', ['--bootstrap-server', broker.bootstrap, '--topic', 'java-tools', '--producer-property', 'enable.idempotence=true', '--producer-property', 'acks=all'], lines.join('\n') + '\n');
    const consumed = await tool('kafka-console-consumer', ['--bootstrap-server', broker.bootstrap, '--topic', 'java-tools', '--from-beginning', '--max-messages', '10', '--group', 'java-group']);
    expect(consumed.trim().split('\n').sort()).toEqual([...lines].sort());

    expect((await tool('kafka-consumer-groups', ['--bootstrap-server', broker.bootstrap, '--list'])).split('\n')).toContain('java-group');
    const described = await describeGroup('java-group', 'java-tools');
    expect(described.size).toBe(2);
    const total = [...described.values()].reduce((sum, [current, end, lag]) => {
      expect(current).toBe(end);
      expect(lag).toBe('0');
      return sum + Number(end);
    }, 0);
    expect(total).toBe(10);

    const reset = await tool('kafka-consumer-groups', ['--bootstrap-server', broker.bootstrap, '--reset-offsets', '--group', 'java-group', '--topic', 'java-tools', '--to-earliest', '--execute']);
    expect(reset).toMatch(/java-tools\s+0\s+0/);
    expect([...(await describeGroup('java-group', 'java-tools')).values()].map(([current]) => current)).toEqual(['0', '0']);
    const again = await tool('kafka-console-consumer', ['--bootstrap-server', broker.bootstrap, '--topic', 'java-tools', '--max-messages', '10', '--group', 'java-group']);
    expect(again.trim().split('\n').sort()).toEqual([...lines].sort());

    await tool('kafka-consumer-groups', ['--bootstrap-server', broker.bootstrap, '--delete-offsets', '--group', 'java-group', '--topic', 'java-tools']);
    expect((await describeGroup('java-group', 'java-tools')).size).toBe(0);
    const deleted = await tool('kafka-consumer-groups', ['--bootstrap-server', broker.bootstrap, '--delete', '--group', 'java-group']);
    expect(deleted).toMatch(/Deletion of requested consumer groups \('java-group'\) was successful/);
    expect((await tool('kafka-consumer-groups', ['--bootstrap-server', broker.bootstrap, '--list'])).split('\n')).not.toContain('java-group');
  });

  it('two Java consumers in a group with the sticky assignor split the partitions and read everything', async () => {
    const admin = js().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'java-sticky', numPartitions: 4 }] });
    const p = js().producer();
    await p.connect();
    for (let partition = 0; partition < 4; partition++) await p.send({ topic: 'java-sticky', messages: Array.from({ length: 25 }, (_, i) => ({ partition, value: `s-${partition}-${i}` })) });
    await p.disconnect();
    const member = () =>
      tool('kafka-console-consumer', [
        '--bootstrap-server',
        broker.bootstrap,
        '--topic',
        'java-sticky',
        '--group',
        'java-sticky-group',
        '--from-beginning',
        '--timeout-ms',
        '10000',
        '--consumer-property',
        'partition.assignment.strategy=org.apache.kafka.clients.consumer.StickyAssignor',
      ]);
    const outs = await Promise.all([member(), member()]);
    const values = outs.flatMap((o) => o.trim().split('\n').filter(Boolean));
    expect(new Set(values).size).toBe(100);
    const [t] = await admin.fetchOffsets({ groupId: 'java-sticky-group', topics: ['java-sticky'] });
    expect(t!.partitions.map((x) => x.offset)).toEqual(['25', '25', '25', '25']);
    await admin.disconnect();
  });

  it('ProducerPerformance with idempotence (acks=all) writes every record once', async () => {
    const out = await tool('kafka-producer-perf-test', [
      '--topic',
      'java-perf',
      '--num-records',
      '5000',
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${broker.bootstrap}`,
      'acks=all',
      'enable.idempotence=true',
      'linger.ms=5',
    ]);
    expect(out).toMatch(/5000 records sent/);
    const admin = js().admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('java-perf');
    await admin.disconnect();
    expect(offsets.reduce((n, o) => n + Number(o.high), 0)).toBe(5000);
    const log = broker.state.partitionLog('java-perf', 0)!;
    expect(log.producerState.all().length).toBe(1); // one idempotent producer id
  });

  it("TransactionalMessageCopier (Apache's EOS system-test tool) with random aborts copies each record exactly once", async () => {
    const admin = js().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'java-copy-in', numPartitions: 1 }, { topic: 'java-copy-out', numPartitions: 1 }] });
    const p = js().producer({ idempotent: true });
    await p.connect();
    const input = Array.from({ length: 500 }, (_, i) => `rec-${i}`);
    for (let i = 0; i < input.length; i += 50) await p.send({ topic: 'java-copy-in', acks: -1, messages: input.slice(i, i + 50).map((value) => ({ key: value, value })) });
    await p.disconnect();

    const out = await tool({ mainClass: 'org.apache.kafka.tools.TransactionalMessageCopier' }, [
      '--broker-list',
      broker.bootstrap,
      '--input-topic',
      'java-copy-in',
      '--input-partition',
      '0',
      '--output-topic',
      'java-copy-out',
      '--consumer-group',
      'java-copier',
      '--transactional-id',
      'java-copier-txn',
      '--transaction-size',
      '50',
      '--enable-random-aborts',
    ]);
    const last = out.trim().split('\n').map((l) => JSON.parse(l) as { totalProcessed: number; remaining: number }).pop()!;
    expect(last).toMatchObject({ totalProcessed: 500, remaining: 0 });

    const seen: string[] = [];
    const c = js().consumer({ groupId: 'java-copy-check' });
    await c.connect();
    await c.subscribe({ topic: 'java-copy-out', fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    const end = Number((await admin.fetchTopicOffsets('java-copy-out'))[0]!.high);
    // Read to the end of the partition (the last record is a COMMIT marker, which is never delivered).
    await waitFor('the copy to be read', async () => {
      const [t] = await admin.fetchOffsets({ groupId: 'java-copy-check', topics: ['java-copy-out'] });
      return seen.length >= 500 && Number(t!.partitions[0]!.offset) >= end - 1 ? true : undefined;
    });
    await c.disconnect();
    expect(seen).toEqual(input); // same order, no duplicates, no losses, no aborted records
    const [committed] = await admin.fetchOffsets({ groupId: 'java-copier', topics: ['java-copy-in'] });
    expect(committed!.partitions[0]!.offset).toBe('500');
    await admin.disconnect();
  });

  it("Apache's own formatters decode what the coordinators wrote to __consumer_offsets and __transaction_state", async () => {
    // 3.9's JSON formatters print records back to back, without a newline between them.
    const records = (out: string) =>
      out
        .trim()
        .split(/(?<=\})(?=\{"key")/)
        .filter(Boolean)
        .map((r) => JSON.parse(r));
    const dump = async (topic: string, formatter: string) =>
      records(await tool('kafka-console-consumer', [
        '--bootstrap-server',
        broker.bootstrap,
        '--topic',
        topic,
        '--from-beginning',
        '--timeout-ms',
        '8000',
        '--formatter',
        formatter,
        '--consumer-property',
        'exclude.internal.topics=false',
      ]));
    const offsets = await dump('__consumer_offsets', 'org.apache.kafka.tools.consumer.OffsetsMessageFormatter');
    // The copier's transactional offset commit of java-copy-in ends at 500, as the group reads it.
    const copierCommits = offsets.filter((o) => o.key?.data?.group === 'java-copier' && o.key.data.topic === 'java-copy-in');
    expect(copierCommits.length).toBeGreaterThan(0);
    expect(copierCommits[copierCommits.length - 1].value.data.offset).toBe(500);
    const groups = await dump('__consumer_offsets', 'org.apache.kafka.tools.consumer.GroupMetadataMessageFormatter');
    const sticky = groups.filter((g) => g.key?.data?.group === 'java-sticky-group' && g.value !== null);
    expect(sticky.length).toBeGreaterThan(0);
    expect(sticky[0].value.data).toMatchObject({ protocolType: 'consumer', protocol: 'sticky' });
    const txns = await dump('__transaction_state', 'org.apache.kafka.tools.consumer.TransactionLogMessageFormatter');
    const copier = txns.filter((t) => t.key?.data?.transactionalId === 'java-copier-txn');
    expect(copier.map((t) => t.value.data.transactionStatus)).toContain(4); // CompleteCommit
    expect(copier[copier.length - 1].value.data.transactionPartitions ?? []).toEqual([]);
  });

  it('kafka-transactions lists, describes, shows producers and aborts an open transaction (WriteTxnMarkers)', async () => {
    const admin = js().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'java-hanging', numPartitions: 1 }] });
    const producer = js().producer({ transactionalId: 'java-hanging-txn', maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    const txn = await producer.transaction();
    await txn.send({ topic: 'java-hanging', messages: [{ value: 'left-open' }] });
    await producer.disconnect(); // the transaction stays open
    const transactions = (args: string[]) => tool({ mainClass: 'org.apache.kafka.tools.TransactionsCommand' }, ['--bootstrap-server', broker.bootstrap, ...args]);

    expect(await transactions(['list'])).toMatch(/java-hanging-txn\s+\d+\s+\d+\s+Ongoing/);
    const described = await transactions(['describe', '--transactional-id', 'java-hanging-txn']);
    expect(described).toMatch(/Ongoing/);
    expect(described).toContain('java-hanging-0');
    const producers = await transactions(['describe-producers', '--topic', 'java-hanging', '--partition', '0']);
    // ProducerId, ProducerEpoch 0, LatestCoordinatorEpoch -1 (no marker yet), LastSequence 0, LastTimestamp, CurrentTransactionStartOffset 0
    expect(producers.trim().split('\n')[1]).toMatch(/^\d+\s+0\s+-1\s+0\s+\d+\s+0\s*$/);
    // kafkajs lists offsets read_committed: the open transaction holds the end at its first offset.
    const end = async () => (await admin.fetchTopicOffsets('java-hanging'))[0]!.high;
    expect(await end()).toBe('0');
    await transactions(['abort', '--topic', 'java-hanging', '--partition', '0', '--start-offset', '0']);
    expect(await end()).toBe('2'); // the record and the ABORT marker
    expect(broker.state.partitionLog('java-hanging', 0)!.collectAbortedTxns(0, 2)).toEqual([expect.objectContaining({ firstOffset: 0, lastOffset: 1 })]);
    await admin.disconnect();
  });
});
