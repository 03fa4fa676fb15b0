import { describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { decodeRequestFrame, encodeRequestFrame } from '../../../protocols/kafka/message-frames.js';
import { decodeRecordSet } from '../../../protocols/kafka/records/record-set.js';
import { verifyBatchCrc } from '../../../protocols/kafka/records/record-batch.js';
import { encodeRecordBatch } from '../../../protocols/kafka/records/record-batch.js';
import { buildControlBatch } from '../../../protocols/kafka/records/control-batch.js';
import { consumerSubscription } from '../../../protocols/kafka/consumer-protocol.js';
import { encodeRecordsSpec } from '../../../workloads/conformance/kafka/record-batch-spec.js';
import { viewRecordSet } from '../../../workloads/conformance/kafka/records-view.js';
import { buildRequestBody } from '../../../workloads/conformance/kafka/request-builder.js';
import type { ScenarioScope } from '../../../workloads/conformance/kafka/scenario-scope.js';

function scope(): ScenarioScope {
  return {
    names: new Map([['t', 'kzc-x-t']]),
    topicIds: new Map([['kzc-x-t', 'AAAAAAAAAAAAAAAAAAAAAQ']]),
    saved: new Map<string, unknown>([['pid', { errorCode: 0, producerId: 42n, producerEpoch: 3 }]]),
    prev: undefined,
    broker: { nodeId: 1, host: '127.0.0.1', port: 9092 },
    now: 1_700_000_000_000n,
    clientTimestamps: new Set(),
  };
}

const produceBody = {
  transactionalId: null,
  acks: -1,
  timeoutMs: 1000,
  topicData: [
    {
      name: '$t',
      partitionData: [
        {
          index: 0,
          records: {
            records: ['a', { key: 'k', value: { size: 3 }, headers: [{ key: 'h', value: { hex: '00ff' } }], timestamp: '$now - 1000' }, null],
            compression: 'gzip',
            producerId: '$pid.producerId',
            producerEpoch: '$pid.producerEpoch',
            baseSequence: 5,
            transactional: true,
          },
        },
      ],
    },
  ],
};

describe('building requests from scenario bodies', () => {
  it('encodes a produce batch as a producer would: references, compression, ids, sequences, timestamps', async () => {
    const s = scope();
    const body = (await buildRequestBody(KafkaApis.Produce, 9, produceBody, s)) as { acks: number; topicData: Array<{ name: string; partitionData: Array<{ records: Buffer }> }> };
    expect(body.acks).toBe(-1);
    const td = body.topicData[0]!;
    expect(td.name).toBe('kzc-x-t');
    const [batch] = await decodeRecordSet(td.partitionData[0]!.records);
    expect(batch).toMatchObject({ producerId: 42, producerEpoch: 3, baseSequence: 5, lastOffsetDelta: 2, baseTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_000 });
    expect(batch!.attributes & 0x07).toBe(1);
    expect(batch!.attributes & 0x10).toBe(0x10);
    expect(batch!.records.map((r) => [r.key?.toString() ?? null, r.value?.toString() ?? null, r.timestampDelta])).toEqual([
      [null, 'a', 0],
      ['k', 'xxx', -1000],
      [null, null, 0],
    ]);
    expect(batch!.records[1]!.headers).toEqual([{ key: 'h', value: Buffer.from([0, 255]) }]);
    expect([...s.clientTimestamps]).toEqual([1_700_000_000_000n, 1_699_999_999_000n]);
    // The whole request goes through the codec.
    const frame = encodeRequestFrame(KafkaApis.Produce, { apiKey: 0, apiVersion: 9, correlationId: 1, clientId: 'x' }, body as never).toBuffer();
    expect(decodeRequestFrame(frame.subarray(4)).header.apiVersion).toBe(9);
  });

  it('damages batches on request: a bad CRC, a record count that lies', async () => {
    const crc = (await encodeRecordsSpec({ records: ['a'], corrupt: 'crc' }, 0))!;
    expect(() => verifyBatchCrc(crc, 0, crc.length)).toThrow(/CRC mismatch/);
    const count = (await encodeRecordsSpec({ records: ['a', 'b'], corrupt: 'recordCount' }, 0))!;
    expect(() => verifyBatchCrc(count, 0, count.length)).not.toThrow();
    expect(count.readInt32BE(57)).toBe(3);
    const two = (await encodeRecordsSpec([{ records: ['a'] }, { records: ['b'] }], 0))!;
    expect(await decodeRecordSet(two)).toHaveLength(2);
  });

  it('fills in the topic id where a version addresses topics by id, and the name the other way round', async () => {
    const s = scope();
    const v13 = (await buildRequestBody(KafkaApis.Produce, 13, { acks: -1, timeoutMs: 1, topicData: [{ name: '$t', partitionData: [] }] }, s)) as { topicData: Array<Record<string, unknown>> };
    expect(v13.topicData[0]).toMatchObject({ name: 'kzc-x-t', topicId: 'AAAAAAAAAAAAAAAAAAAAAQ' });
    const v12 = (await buildRequestBody(KafkaApis.Fetch, 12, { maxWaitMs: 0, minBytes: 0, topics: [{ topicId: '$t.id', partitions: [] }] }, s)) as { topics: Array<Record<string, unknown>> };
    expect(v12.topics[0]).toMatchObject({ topic: 'kzc-x-t' });
  });

  it('builds consumer-protocol bytes, long strings and int64s; refuses unknown fields and wrong types', async () => {
    const s = scope();
    const join = (await buildRequestBody(KafkaApis.JoinGroup, 5, { groupId: 'g', protocols: [{ name: 'range', metadata: { consumerSubscription: { topics: ['$t'] } } }] }, s)) as { protocols: Array<{ metadata: Buffer }> };
    expect(join.protocols[0]!.metadata.equals(consumerSubscription(['kzc-x-t']))).toBe(true);
    const commit = (await buildRequestBody(KafkaApis.OffsetCommit, 7, { groupId: 'g', topics: [{ name: '$t', partitions: [{ partitionIndex: 0, committedOffset: '$pid.producerId + 1', committedMetadata: { size: 5 } }] }] }, s)) as {
      topics: Array<{ partitions: Array<{ committedOffset: bigint; committedMetadata: string }> }>;
    };
    expect(commit.topics[0]!.partitions[0]).toMatchObject({ committedOffset: 43n, committedMetadata: 'xxxxx' });
    await expect(buildRequestBody(KafkaApis.Metadata, 12, { topix: [] }, s)).rejects.toThrow(/Metadata: no field topix/);
    await expect(buildRequestBody(KafkaApis.Metadata, 12, { allowAutoTopicCreation: 'yes' }, s)).rejects.toThrow(/expected true or false/);
    await expect(buildRequestBody(KafkaApis.Metadata, 12, { topics: [{ name: '$missing' }] }, s)).rejects.toThrow(/no name or saved step called missing/);
  });
});

describe('viewing fetched records', () => {
  it('decodes batches with absolute offsets, control markers and a partial tail', async () => {
    const data = (await encodeRecordsSpec({ records: [{ key: 'k', value: 'v' }, 'w'], producerId: 9, producerEpoch: 0, baseSequence: 0, transactional: true }, 5000))!;
    data.writeBigInt64BE(10n, 0);
    const marker = await buildControlBatch({ type: 1, coordinatorEpoch: 0 }, { baseOffset: 12, producerId: 9, producerEpoch: 0, timestamp: 6000 });
    const next = await encodeRecordBatch({ baseOffset: 13, partitionLeaderEpoch: 0, attributes: 0, lastOffsetDelta: 0, baseTimestamp: 0, maxTimestamp: 0, producerId: -1, producerEpoch: -1, baseSequence: -1, records: [{ attributes: 0, timestampDelta: 0, offsetDelta: 0, key: null, value: Buffer.from('x'), headers: [] }] });
    const view = await viewRecordSet(Buffer.concat([data, marker, next.subarray(0, 20)]));
    expect(view.partialBatchBytes).toBe(20);
    expect(view.batches).toHaveLength(2);
    expect(view.batches[0]).toMatchObject({ baseOffset: 10n, lastOffset: 11n, producerId: 9n, transactional: true, control: false, compression: 'none', timestampType: 'CreateTime' });
    expect(view.batches[0]!.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString()])).toEqual([
      [10n, 5000n, 'k', 'v'],
      [11n, 5000n, null, 'w'],
    ]);
    expect(view.batches[1]).toMatchObject({ baseOffset: 12n, control: true, marker: { type: 'COMMIT', coordinatorEpoch: 0 } });
  });

  it('reports a batch that does not decode instead of throwing', async () => {
    const bad = (await encodeRecordsSpec({ records: ['a'], corrupt: 'crc' }, 0))!;
    const view = await viewRecordSet(bad);
    expect(view.batches).toEqual([]);
    expect(view.undecodable).toMatch(/CRC/);
  });
});
