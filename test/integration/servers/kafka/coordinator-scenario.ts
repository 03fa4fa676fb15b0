import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { ErrorCode, kafkaError } from '../../../../protocols/kafka/error-codes.js';
import { buildRecordBatch } from '../../../../protocols/kafka/records/record-batch.js';
import { KafkaConnection } from '../../../../workloads/clients/kafka/kafka-connection.js';
import { untilCoordinatorReady } from '../../../../workloads/conformance/kafka/admin-session.js';
import { consumerSubscription } from '../../../../protocols/kafka/consumer-protocol.js';

/**
 * One fixed sequence of raw group, idempotence and transaction requests, run against a
 * broker; every response is recorded with what differs between two correct brokers (member
 * ids, producer ids, node addresses, timestamps) replaced by stable names. Running it against
 * Apache Kafka and the reference broker and comparing the transcripts shows where they differ.
 */
export interface TranscriptEntry {
  step: string;
  response: unknown;
}

class Normalizer {
  private readonly names = new Map<string, string>();
  private counters = new Map<string, number>();

  name(kind: string, raw: string | number | bigint): string {
    const key = `${kind}:${String(raw)}`;
    let n = this.names.get(key);
    if (!n) {
      const c = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, c);
      n = `<${kind}${c}>`;
      this.names.set(key, n);
    }
    return n;
  }
}

function errorName(code: number): string {
  return code === 0 ? 'NONE' : kafkaError(code).name;
}

/** Replaces error codes by names and volatile values by stable names, recursively. */
function normalize(value: unknown, n: Normalizer, key = ''): unknown {
  if (Buffer.isBuffer(value)) return `bytes(${value.length})`;
  // Order within a response array is a hash map's on Apache: compare as sets.
  if (Array.isArray(value)) return value.map((v) => normalize(v, n, key)).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (typeof value === 'bigint') {
    if (/producerId/i.test(key) && value >= 0n) return n.name('pid', value);
    if (/timestamp|TimeMs$/i.test(key)) return value > 0n ? '<time>' : value.toString();
    return value.toString();
  }
  if (typeof value === 'number') {
    if (/errorCode$/i.test(key)) return errorName(value);
    if (/^(nodeId|port)$/.test(key)) return '<node>';
    if (/throttleTimeMs/.test(key)) return 0;
    return value;
  }
  if (typeof value === 'string') {
    if (/memberId|^leader$/i.test(key) && value.length > 0) return n.name('member', value);
    if (key === 'host' || key === 'clientHost') return '<host>';
    if (key === 'errorMessage') return value.length > 0 ? '<message>' : value;
    return value;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'unknownTaggedFields') continue;
      out[k] = normalize(v, n, k);
    }
    return out;
  }
  return value;
}

export async function runCoordinatorScenario(bootstrap: string, prefix: string): Promise<TranscriptEntry[]> {
  const [host, port] = bootstrap.split(':') as [string, string];
  const conn = await KafkaConnection.connect({ host, port: Number(port), clientId: 'kz-parity' });
  const n = new Normalizer();
  const transcript: TranscriptEntry[] = [];
  const record = (step: string, response: unknown) => transcript.push({ step, response: normalize(response, n) });
  const topic = `${prefix}-data`;
  const group = `${prefix}-group`;
  const txnId = `${prefix}-txn`;
  try {
    await conn.request(KafkaApis.CreateTopics, { topics: [{ name: topic, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 30_000 }, 4);
    for (const keyType of [0, 1]) {
      const key = keyType === 0 ? group : txnId;
      // Apache answers the first lookup COORDINATOR_NOT_AVAILABLE while it creates the internal topic.
      let r = await conn.request(KafkaApis.FindCoordinator, { key, keyType }, 3);
      for (let i = 0; i < 60 && r.errorCode !== ErrorCode.NONE; i++) {
        await new Promise((res) => setTimeout(res, 500));
        r = await conn.request(KafkaApis.FindCoordinator, { key, keyType }, 3);
      }
      record(`FindCoordinator v3 keyType ${keyType}`, r);
    }
    record('FindCoordinator v4 group', await conn.request(KafkaApis.FindCoordinator, { keyType: 0, coordinatorKeys: [group, `${group}-b`] }, 4));
    record('FindCoordinator v4 share key type', await conn.request(KafkaApis.FindCoordinator, { keyType: 2, coordinatorKeys: [group] }, 4));

    // ---- groups
    const protocols = [{ name: 'range', metadata: consumerSubscription([topic]) }];
    const join = (memberId: string, version = 5, extra: Record<string, unknown> = {}) =>
      conn.request(KafkaApis.JoinGroup, { groupId: group, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId, groupInstanceId: null, protocolType: 'consumer', protocols, ...extra }, version);
    record('JoinGroup empty group id', await conn.request(KafkaApis.JoinGroup, { groupId: '', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: '', protocolType: 'consumer', protocols }, 5));
    record('JoinGroup session timeout too small', await join('', 5, { sessionTimeoutMs: 1000 }));
    record('JoinGroup unknown member of unknown group', await join('nobody'));
    record('JoinGroup empty protocols', await join('', 5, { protocols: [] }));
    const first = await join('');
    record('JoinGroup v5 without member id', first);
    const memberId = first.memberId;
    const joined = await join(memberId);
    record('JoinGroup v5 with the assigned member id', joined);
    record('JoinGroup other protocol type', await join('', 5, { protocolType: 'connect' }));
    record('SyncGroup wrong generation', await conn.request(KafkaApis.SyncGroup, { groupId: group, generationId: 99, memberId, assignments: [] }, 3));
    record('SyncGroup unknown member', await conn.request(KafkaApis.SyncGroup, { groupId: group, generationId: joined.generationId, memberId: 'nobody', assignments: [] }, 3));
    record('SyncGroup v5 without protocol type and name', await conn.request(KafkaApis.SyncGroup, { groupId: group, generationId: joined.generationId, memberId, protocolType: null, protocolName: null, assignments: [] }, 5));
    record('Heartbeat before sync', await conn.request(KafkaApis.Heartbeat, { groupId: group, generationId: joined.generationId, memberId }, 3));
    record('OffsetCommit while completing rebalance', await conn.request(KafkaApis.OffsetCommit, { groupId: group, generationIdOrMemberEpoch: joined.generationId, memberId, topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] }, 5));
    record(
      'SyncGroup leader',
      await conn.request(KafkaApis.SyncGroup, { groupId: group, generationId: joined.generationId, memberId, assignments: [{ memberId, assignment: Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }] }, 3),
    );
    record('SyncGroup v5 wrong protocol name', await conn.request(KafkaApis.SyncGroup, { groupId: group, generationId: joined.generationId, memberId, protocolType: 'consumer', protocolName: 'roundrobin', assignments: [] }, 5));
    record('Heartbeat stable', await conn.request(KafkaApis.Heartbeat, { groupId: group, generationId: joined.generationId, memberId }, 3));
    record('Heartbeat wrong generation', await conn.request(KafkaApis.Heartbeat, { groupId: group, generationId: joined.generationId + 1, memberId }, 3));
    record('Heartbeat unknown member', await conn.request(KafkaApis.Heartbeat, { groupId: group, generationId: joined.generationId, memberId: 'nobody' }, 3));
    record('Heartbeat unknown group', await conn.request(KafkaApis.Heartbeat, { groupId: `${group}-none`, generationId: 1, memberId }, 3));
    record('JoinGroup follower-style rejoin of the leader (stable)', { note: 'skipped: parks until rebalance' });
    record(
      'OffsetCommit v5 member commit, unknown topic, metadata too large',
      await conn.request(
        KafkaApis.OffsetCommit,
        {
          groupId: group,
          generationIdOrMemberEpoch: joined.generationId,
          memberId,
          topics: [
            { name: topic, partitions: [{ partitionIndex: 0, committedOffset: 42n, committedMetadata: 'meta' }, { partitionIndex: 1, committedOffset: 7n, committedMetadata: 'x'.repeat(5000) }, { partitionIndex: 9, committedOffset: 1n, committedMetadata: null }] },
            { name: `${prefix}-missing`, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] },
          ],
        },
        5,
      ),
    );
    record('OffsetCommit generation -1 into a non-empty group', await conn.request(KafkaApis.OffsetCommit, { groupId: group, generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] }, 5));
    record('OffsetCommit old generation into an unknown group', await conn.request(KafkaApis.OffsetCommit, { groupId: `${group}-none`, generationIdOrMemberEpoch: 3, memberId: 'm', topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] }] }, 5));
    record('OffsetFetch v5 listed partitions', await conn.request(KafkaApis.OffsetFetch, { groupId: group, topics: [{ name: topic, partitionIndexes: [0, 1] }] }, 5));
    record('OffsetFetch v5 all', await conn.request(KafkaApis.OffsetFetch, { groupId: group, topics: null }, 5));
    record('OffsetFetch v8 two groups', await conn.request(KafkaApis.OffsetFetch, { groups: [{ groupId: group, topics: null }, { groupId: `${group}-none`, topics: [{ name: topic, partitionIndexes: [0] }] }], requireStable: true }, 8));
    record('DescribeGroups stable and unknown', await conn.request(KafkaApis.DescribeGroups, { groups: [group, `${group}-none`], includeAuthorizedOperations: false }, 5));
    const listed = await conn.request(KafkaApis.ListGroups, { statesFilter: ['stable'], typesFilter: [] }, 4);
    record('ListGroups v4 stable filter (own group)', { errorCode: listed.errorCode, groups: listed.groups.filter((g) => g.groupId.startsWith(prefix)) });
    record('DeleteGroups non-empty and unknown', await conn.request(KafkaApis.DeleteGroups, { groupsNames: [group, `${group}-none`] }, 2));
    record('OffsetDelete of a subscribed topic', await conn.request(KafkaApis.OffsetDelete, { groupId: group, topics: [{ name: topic, partitions: [{ partitionIndex: 0 }] }] }, 0));
    record('LeaveGroup v3 member and stranger', await conn.request(KafkaApis.LeaveGroup, { groupId: group, members: [{ memberId, groupInstanceId: null }, { memberId: 'nobody', groupInstanceId: null }] }, 3));
    record('DescribeGroups after leave', await conn.request(KafkaApis.DescribeGroups, { groups: [group], includeAuthorizedOperations: false }, 5));
    record('OffsetCommit generation -1 into the empty group', await conn.request(KafkaApis.OffsetCommit, { groupId: group, generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: topic, partitions: [{ partitionIndex: 1, committedOffset: 5n, committedMetadata: null }] }] }, 5));
    record('OffsetDelete on the empty group', await conn.request(KafkaApis.OffsetDelete, { groupId: group, topics: [{ name: topic, partitions: [{ partitionIndex: 0 }] }] }, 0));
    record('OffsetFetch v5 after delete', await conn.request(KafkaApis.OffsetFetch, { groupId: group, topics: null }, 5));
    record('DeleteGroups empty', await conn.request(KafkaApis.DeleteGroups, { groupsNames: [group] }, 2));
    record('OffsetFetch v5 after group deletion', await conn.request(KafkaApis.OffsetFetch, { groupId: group, topics: null }, 5));
    const old = await join('', 3);
    record('JoinGroup v3 needs no member id round trip', { ...old, members: old.members.length });
    record('LeaveGroup v1', await conn.request(KafkaApis.LeaveGroup, { groupId: group, memberId: old.memberId }, 1));

    // ---- idempotent producer
    const ipid = await untilCoordinatorReady(() => conn.request(KafkaApis.InitProducerId, { transactionalId: null, transactionTimeoutMs: 60_000 }, 1));
    record('InitProducerId idempotent', ipid);
    const produce = async (batch: Buffer, version = 7, transactionalId: string | null = null, partition = 0) =>
      conn.request(KafkaApis.Produce, { transactionalId, acks: -1, timeoutMs: 30_000, topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }] }, version);
    const batch = (seq: number, count: number, opts: { pid?: bigint; epoch?: number; transactional?: boolean } = {}) =>
      buildRecordBatch(
        Array.from({ length: count }, (_, i) => ({ value: `v${seq + i}` })),
        { producerId: Number(opts.pid ?? ipid.producerId), producerEpoch: opts.epoch ?? ipid.producerEpoch, baseSequence: seq, transactional: opts.transactional, timestamp: 1_700_000_000_000 },
      );
    record('Produce seq 0..2', await produce(await batch(0, 3)));
    record('Produce seq 0..2 again (duplicate)', await produce(await batch(0, 3)));
    record('Produce seq 3..4', await produce(await batch(3, 2)));
    record('Produce seq 7 (gap)', await produce(await batch(7, 1)));
    record('Produce seq 2..3 (overlap)', await produce(await batch(2, 2)));
    record('Produce seq 3..4 again (older duplicate)', await produce(await batch(3, 2)));
    record('Produce epoch 1 seq 4 (new epoch must start at 0)', await produce(await batch(4, 1, { epoch: 1 })));
    record('Produce epoch 1 seq 0', await produce(await batch(0, 1, { epoch: 1 })));
    record('Produce epoch 0 (stale)', await produce(await batch(1, 1, { epoch: 0 })));
    record('Produce unknown producer id, seq 5', await produce(await batch(5, 1, { pid: 999_999n, epoch: 0 })));
    record('Produce to an internal topic', await conn.request(KafkaApis.Produce, { transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: '__consumer_offsets', partitionData: [{ index: 0, records: await batch(0, 1, { pid: 888_888n }) }] }] }, 7));

    // ---- transactions
    record('InitProducerId empty transactional id', await conn.request(KafkaApis.InitProducerId, { transactionalId: '', transactionTimeoutMs: 60_000 }, 1));
    record('InitProducerId timeout too large', await conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 3_600_000 }, 1));
    const tp = await untilCoordinatorReady(() => conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 60_000 }, 1));
    record('InitProducerId transactional', tp);
    const pid = tp.producerId;
    const epoch = tp.producerEpoch;
    const addParts = (parts: Array<{ name: string; partitions: number[] }>, e = epoch, version = 1) =>
      conn.request(KafkaApis.AddPartitionsToTxn, { v3AndBelowTransactionalId: txnId, v3AndBelowProducerId: pid, v3AndBelowProducerEpoch: e, v3AndBelowTopics: parts }, version);
    const endTxn = (committed: boolean, e = epoch, version = 1, id = txnId) => conn.request(KafkaApis.EndTxn, { transactionalId: id, producerId: pid, producerEpoch: e, committed }, version);
    const tbatch = (seq: number, count: number, e = epoch) => batch(seq, count, { pid, epoch: e, transactional: true });
    record('EndTxn commit with nothing added', await endTxn(true));
    record('EndTxn unknown transactional id', await endTxn(true, epoch, 1, `${txnId}-none`));
    record('Produce transactional before AddPartitionsToTxn (v7)', await produce(await tbatch(0, 1), 7, txnId, 1));
    record('Produce transactional before AddPartitionsToTxn (v11)', await produce(await tbatch(0, 1), 11, txnId, 1));
    record('AddPartitionsToTxn with an unknown topic', await addParts([{ name: topic, partitions: [1] }, { name: `${prefix}-missing`, partitions: [0] }]));
    record('AddPartitionsToTxn wrong epoch v1', await addParts([{ name: topic, partitions: [1] }], epoch + 5, 1));
    record('AddPartitionsToTxn wrong epoch v3', await addParts([{ name: topic, partitions: [1] }], epoch + 5, 3));
    record('AddPartitionsToTxn', await addParts([{ name: topic, partitions: [1] }]));
    record('AddPartitionsToTxn again (already added)', await addParts([{ name: topic, partitions: [1] }]));
    record('Produce transactional seq 0..1', await produce(await tbatch(0, 2), 7, txnId, 1));
    record('Produce non-transactional batch of the same producer', await produce(await batch(2, 1, { pid, epoch }), 7, null, 1));
    record('TxnOffsetCommit before AddOffsetsToTxn', await conn.request(KafkaApis.TxnOffsetCommit, { transactionalId: txnId, groupId: `${group}-txn`, producerId: pid, producerEpoch: epoch, topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 3n, committedMetadata: null }] }] }, 1));
    record('AddOffsetsToTxn', await conn.request(KafkaApis.AddOffsetsToTxn, { transactionalId: txnId, producerId: pid, producerEpoch: epoch, groupId: `${group}-txn` }, 1));
    record('TxnOffsetCommit', await conn.request(KafkaApis.TxnOffsetCommit, { transactionalId: txnId, groupId: `${group}-txn`, producerId: pid, producerEpoch: epoch, topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 3n, committedMetadata: 'txn' }] }] }, 1));
    record('OffsetFetch v7 require stable (open transaction)', await conn.request(KafkaApis.OffsetFetch, { groupId: `${group}-txn`, topics: [{ name: topic, partitionIndexes: [0] }], requireStable: true }, 7));
    record('OffsetFetch v7 (open transaction)', await conn.request(KafkaApis.OffsetFetch, { groupId: `${group}-txn`, topics: [{ name: topic, partitionIndexes: [0] }], requireStable: false }, 7));
    const fetch = (isolationLevel: number) =>
      conn.request(KafkaApis.Fetch, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel, sessionId: 0, sessionEpoch: -1, topics: [{ topic, partitions: [{ partition: 1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }], forgottenTopicsData: [], rackId: '' }, 11);
    const summarizeFetch = async (isolationLevel: number) => {
      const r = await fetch(isolationLevel);
      const p = r.responses[0]!.partitions[0]!;
      return { errorCode: p.errorCode, highWatermark: p.highWatermark, lastStableOffset: p.lastStableOffset, abortedTransactions: p.abortedTransactions, bytes: p.records === null ? null : p.records.length > 0 };
    };
    record('Fetch read_committed with an open transaction', await summarizeFetch(1));
    record('Fetch read_uncommitted with an open transaction', await summarizeFetch(0));
    record('ListTransactions ongoing (own)', await listOwn(conn, prefix));
    record('DescribeTransactions', await conn.request(KafkaApis.DescribeTransactions, { transactionalIds: [txnId, `${txnId}-none`] }, 0));
    record('DescribeProducers', await conn.request(KafkaApis.DescribeProducers, { topics: [{ name: topic, partitionIndexes: [1, 7] }] }, 0));
    record('EndTxn wrong epoch v1', await endTxn(false, epoch - 1 < 0 ? epoch + 3 : epoch - 1, 1));
    record('EndTxn wrong epoch v3', await endTxn(false, epoch + 3, 3));
    record('EndTxn abort', await endTxn(false));
    // Apache writes markers after answering: CONCURRENT_TRANSACTIONS until they are in.
    await waitTxnState(conn, txnId, 'CompleteAbort');
    record('EndTxn abort again', await endTxn(false));
    record('EndTxn commit after abort', await endTxn(true));
    await waitStable(conn, topic, 1);
    record('Fetch read_committed after abort', await summarizeFetch(1));
    record('OffsetFetch v7 after abort', await conn.request(KafkaApis.OffsetFetch, { groupId: `${group}-txn`, topics: [{ name: topic, partitionIndexes: [0] }], requireStable: true }, 7));
    record('AddPartitionsToTxn next transaction', await addParts([{ name: topic, partitions: [1] }]));
    record('Produce transactional after abort (seq continues)', await produce(await tbatch(2, 1), 7, txnId, 1));
    record('AddOffsetsToTxn next transaction', await conn.request(KafkaApis.AddOffsetsToTxn, { transactionalId: txnId, producerId: pid, producerEpoch: epoch, groupId: `${group}-txn` }, 1));
    record('TxnOffsetCommit next transaction', await conn.request(KafkaApis.TxnOffsetCommit, { transactionalId: txnId, groupId: `${group}-txn`, producerId: pid, producerEpoch: epoch, topics: [{ name: topic, partitions: [{ partitionIndex: 0, committedOffset: 8n, committedMetadata: null }] }] }, 1));
    record('InitProducerId while a transaction is open', await conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 60_000 }, 1));
    let again = await conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 60_000 }, 1);
    for (let i = 0; i < 40 && again.errorCode === ErrorCode.CONCURRENT_TRANSACTIONS; i++) {
      await new Promise((res) => setTimeout(res, 250));
      again = await conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 60_000 }, 1);
    }
    record('InitProducerId retried until the fenced transaction is aborted', again);
    record('Produce with the fenced epoch', await produce(await tbatch(3, 1), 7, txnId, 1));
    record('EndTxn with the fenced epoch v1', await endTxn(true, epoch, 1));
    record('OffsetFetch v7 after the fenced transaction', await conn.request(KafkaApis.OffsetFetch, { groupId: `${group}-txn`, topics: [{ name: topic, partitionIndexes: [0] }], requireStable: true }, 7));
    const e2 = again.producerEpoch;
    record('AddPartitionsToTxn new epoch', await addParts([{ name: topic, partitions: [0] }], e2));
    record('Produce transactional new epoch seq 0', await produce(await tbatch(0, 1, e2), 7, txnId, 0));
    record('EndTxn commit new epoch', await endTxn(true, e2));
    await waitTxnState(conn, txnId, 'CompleteCommit');
    await waitStable(conn, topic, 0);
    record('DescribeTransactions after commit', await conn.request(KafkaApis.DescribeTransactions, { transactionalIds: [txnId] }, 0));
    record('InitProducerId v3 with a wrong producer id', await conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 60_000, producerId: 123_456n, producerEpoch: 0 }, 3));
    record('InitProducerId v4 with a wrong producer id', await conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 60_000, producerId: 123_456n, producerEpoch: 0 }, 4));
    record('InitProducerId v4 producer id without epoch', await conn.request(KafkaApis.InitProducerId, { transactionalId: txnId, transactionTimeoutMs: 60_000, producerId: pid, producerEpoch: -1 }, 4));
  } finally {
    conn.close();
  }
  return transcript;
}

async function listOwn(conn: KafkaConnection, prefix: string) {
  const r = await conn.request(KafkaApis.ListTransactions, { stateFilters: ['Ongoing', 'Bogus'], producerIdFilters: [] }, 0);
  return { errorCode: r.errorCode, unknownStateFilters: r.unknownStateFilters, transactionStates: r.transactionStates.filter((t) => t.transactionalId.startsWith(prefix)) };
}

async function waitTxnState(conn: KafkaConnection, transactionalId: string, state: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await conn.request(KafkaApis.DescribeTransactions, { transactionalIds: [transactionalId] }, 0);
    if (r.transactionStates[0]?.transactionState === state) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Apache writes markers after EndTxn answers: wait until the partition's LSO reaches its HW. */
async function waitStable(conn: KafkaConnection, topic: string, partition: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await conn.request(
      KafkaApis.Fetch,
      { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1024, isolationLevel: 1, sessionId: 0, sessionEpoch: -1, topics: [{ topic, partitions: [{ partition, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1024 }] }], forgottenTopicsData: [], rackId: '' },
      11,
    );
    const p = r.responses[0]!.partitions[0]!;
    if (p.lastStableOffset === p.highWatermark) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}
