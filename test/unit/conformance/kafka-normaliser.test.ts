import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ZERO_UUID } from '../../../protocols/kafka/schema/compile-codec.js';
import type { TranscriptEntry } from '../../../workloads/conformance/conformance-result.js';
import { consumerSubscription } from '../../../protocols/kafka/consumer-protocol.js';
import { KafkaNormaliser, withoutPaths, type NormaliserContext } from '../../../workloads/conformance/kafka/kafka-normaliser.js';
import { diffTranscripts } from '../../../workloads/conformance/transcript-diff.js';

/** Two runs of one scenario: same declared names, different real names, ids and clocks. */
function context(run: 'a' | 'b'): NormaliserContext {
  const prefix = run === 'a' ? 'kzc-s-111111' : 'kzc-s-222222';
  const now = run === 'a' ? 1_700_000_000_000n : 1_700_000_555_000n;
  return {
    names: new Map([
      [`${prefix}-t`, 't'],
      [`${prefix}-g`, 'g'],
    ]),
    topicIds: new Map([[`${prefix}-t`, run === 'a' ? 'AAAAAAAAAAAAAAAAAAAAAQ' : 'BBBBBBBBBBBBBBBBBBBBBQ']]),
    now,
    clientTimestamps: new Set([now, now - 1000n]),
  };
}

describe('the Kafka normaliser', () => {
  it('maps what differs between correct brokers to stable names', () => {
    const a = context('a');
    const n = new KafkaNormaliser(a);
    const metadata = {
      throttleTimeMs: 12,
      brokers: [{ nodeId: 7, host: '127.0.0.1', port: 40000, rack: null }],
      clusterId: 'abc',
      controllerId: 7,
      topics: [
        { errorCode: 0, name: 'kzc-s-111111-t', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{ partitionIndex: 1, leaderId: 7, replicaNodes: [7] }, { partitionIndex: 0, leaderId: 7, replicaNodes: [7] }] },
        { errorCode: 3, name: 'someone-elses-topic', topicId: ZERO_UUID, partitions: [] },
        { errorCode: 0, name: '__consumer_offsets', topicId: 'CCCCCCCCCCCCCCCCCCCCCQ', partitions: [] },
      ],
    };
    expect(n.normalise(metadata)).toEqual({
      brokers: [{ nodeId: 'node1', host: '<host>', port: '<port>', rack: null }],
      clusterId: '<cluster>',
      controllerId: 'node1',
      // Other tenants' topics are dropped; partitions sorted by index.
      topics: [{ errorCode: 'NONE', name: '$t', topicId: 'id($t)', partitions: [{ partitionIndex: 0, leaderId: 'node1', replicaNodes: ['node1'] }, { partitionIndex: 1, leaderId: 'node1', replicaNodes: ['node1'] }] }],
    });
    // ...unless the step asked about them.
    const kept = n.normalise({ topics: [{ errorCode: 3, name: 'someone-elses-topic', partitions: [] }] }, new Set(['someone-elses-topic'])) as { topics: unknown[] };
    expect(kept.topics).toHaveLength(1);
  });

  it('labels member ids, producer ids and epochs by first appearance; keeps -1', () => {
    const n = new KafkaNormaliser(context('a'));
    expect(n.normalise({ errorCode: ErrorCode.MEMBER_ID_REQUIRED, memberId: 'client-9f', leader: '', generationId: -1 })).toEqual({ errorCode: 'MEMBER_ID_REQUIRED', memberId: 'member1', leader: '', generationId: -1 });
    expect(n.normalise({ memberId: 'client-9f', leader: 'client-9f', members: [{ memberId: 'client-x' }, { memberId: 'client-9f' }] })).toEqual({
      memberId: 'member1',
      leader: 'member1',
      members: [{ memberId: 'member1' }, { memberId: 'member2' }],
    });
    expect(n.normalise({ producerId: 4001n, producerEpoch: 0 })).toEqual({ producerId: 'pid1', producerEpoch: 'epoch1' });
    expect(n.normalise({ producerId: 4001n, producerEpoch: 2 })).toEqual({ producerId: 'pid1', producerEpoch: 'epoch2' });
    expect(n.normalise({ producerId: -1n, producerEpoch: -1 })).toEqual({ producerId: -1, producerEpoch: -1 });
  });

  it('tells the scenario\'s timestamps from the broker\'s', () => {
    const a = context('a');
    const n = new KafkaNormaliser(a);
    expect(n.normalise({ timestamp: a.now - 1000n, logAppendTimeMs: a.now + 37n, maxTimestamp: a.now, transactionStartTimeMs: -1n, sessionTimeoutMs: 30000 })).toEqual({
      timestamp: '$now-1000',
      logAppendTimeMs: '<time>',
      maxTimestamp: '$now',
      transactionStartTimeMs: -1,
      sessionTimeoutMs: 30000,
    });
  });

  it('renders bytes as text, or escaped with the scenario names inside replaced', () => {
    const n = new KafkaNormaliser(context('a'));
    expect(n.normalise({ value: Buffer.from('hello') })).toEqual({ value: 'hello' });
    expect(n.normalise({ metadata: consumerSubscription(['kzc-s-111111-t']) })).toEqual({ metadata: 'bytes:\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x0e$t\\xff\\xff\\xff\\xff' });
  });

  it('drops throttle times and error messages, compares codes by name', () => {
    const n = new KafkaNormaliser(context('a'));
    expect(n.normalise({ throttleTimeMs: 5, errorCode: 2, errorMessage: 'CRC mismatch', responses: [{ partitionResponses: [{ errorCode: 87, recordErrors: [{ batchIndex: 1, batchIndexErrorMessage: 'no key' }] }] }] })).toEqual({
      errorCode: 'CORRUPT_MESSAGE',
      responses: [{ partitionResponses: [{ errorCode: 'INVALID_RECORD', recordErrors: [{ batchIndex: 1 }] }] }],
    });
  });

  it('makes two correct runs of one scenario identical, and shows what really differs', () => {
    const run = (which: 'a' | 'b', hw: bigint): TranscriptEntry[] => {
      const ctx = context(which);
      const prefix = which === 'a' ? 'kzc-s-111111' : 'kzc-s-222222';
      const n = new KafkaNormaliser(ctx);
      const responses = [
        { topics: [{ name: `${prefix}-t`, topicId: [...ctx.topicIds.values()][0], errorCode: 0 }] },
        { groups: [{ groupId: `${prefix}-g`, groupState: 'Stable', members: [{ memberId: `m-${which}`, clientHost: `/10.0.0.${which === 'a' ? 1 : 2}` }] }] },
        { responses: [{ partitions: [{ highWatermark: hw, records: { batches: [{ baseOffset: 0n, producerId: which === 'a' ? 17n : 99n, maxTimestamp: ctx.now }] } }] }] },
      ];
      return responses.map((r, step) => ({ step, label: `step ${step}`, value: n.normalise(r) }));
    };
    expect(diffTranscripts(run('a', 3n), run('b', 3n))).toEqual([]);
    expect(diffTranscripts(run('a', 3n), run('b', 4n))).toEqual([{ step: 2, label: 'step 2', path: 'responses[0].partitions[0].highWatermark', left: 3, right: 4 }]);
  });

  it('leaves out diffIgnore paths, through lists', () => {
    const value = { topics: [{ name: 'a', configs: [{ name: 'x', doc: 1 }, { name: 'y', doc: 2 }] }, { name: 'b', configs: [] }] };
    expect(withoutPaths(value, ['topics.configs.doc'])).toEqual({ topics: [{ name: 'a', configs: [{ name: 'x' }, { name: 'y' }] }, { name: 'b', configs: [] }] });
    expect(withoutPaths(value, ['topics.configs'])).toEqual({ topics: [{ name: 'a' }, { name: 'b' }] });
  });
});
