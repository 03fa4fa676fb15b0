import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { decodeRequestFrame, decodeRequestFrameAs, decodeResponseFrame } from '../../../../protocols/kafka/message-frames.js';
import { decodeRecordSet } from '../../../../protocols/kafka/records/record-set.js';
import { ZERO_UUID } from '../../../../protocols/kafka/schema/compile-codec.js';

/**
 * Beyond byte-identical round trips: the captured frames decode to what the clients actually
 * sent (field values land in the right fields).
 */
interface Exchange {
  apiKey: number;
  apiVersion: number;
  request: string;
  response: string | null;
}
const load = (name: string): Exchange[] =>
  readFileSync(new URL(`../../../fixtures/kafka/${name}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Exchange);
const first = (xs: Exchange[], apiKey: number, apiVersion?: number) => xs.find((x) => x.apiKey === apiKey && (apiVersion === undefined || x.apiVersion === apiVersion))!;

describe('captured frames carry what the clients sent', () => {
  it('librdkafka announces itself in ApiVersions v3 and gets a flexible body behind a v0 header', () => {
    const ex = first(load('kcat-1.7.1-librdkafka-2.0.2'), KafkaApis.ApiVersions.key, 3);
    expect(decodeRequestFrame(Buffer.from(ex.request, 'hex')).body).toMatchObject({ clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' });
    const res = decodeResponseFrame(KafkaApis.ApiVersions, 3, Buffer.from(ex.response!, 'hex')).body;
    expect(res.errorCode).toBe(0);
    expect(res.apiKeys.find((k) => k.apiKey === KafkaApis.Fetch.key)).toEqual({ apiKey: 1, minVersion: 0, maxVersion: 17 });
  });

  it("kcat's idempotent Produce v7 holds the three records it was given, with producer id and sequence 0", async () => {
    const ex = first(load('kcat-1.7.1-librdkafka-2.0.2'), KafkaApis.Produce.key, 7);
    const req = decodeRequestFrameAs(KafkaApis.Produce, Buffer.from(ex.request, 'hex')).body;
    expect(req.acks).toBe(-1);
    expect(req.topicData[0]!.name).toMatch(/^kcat-topic-/);
    const [batch] = await decodeRecordSet(req.topicData[0]!.partitionData[0]!.records!);
    expect(batch!.producerId).toBeGreaterThanOrEqual(0);
    expect(batch!.baseSequence).toBe(0);
    expect(batch!.records.map((r) => `${r.key}:${r.value}`)).toEqual(['a:1', 'b:2', 'c:3']);
    const res = decodeResponseFrame(KafkaApis.Produce, 7, Buffer.from(ex.response!, 'hex')).body;
    expect(res.responses[0]!.partitionResponses[0]).toMatchObject({ index: 0, errorCode: 0, baseOffset: 0n });
  });

  it('the Java 4.1 producer addresses its topic by the id the broker gave it at creation (Produce v13)', () => {
    const exchanges = load('apache-kafka-4.1.0-java-clients');
    const produce = decodeRequestFrameAs(KafkaApis.Produce, Buffer.from(first(exchanges, KafkaApis.Produce.key, 13).request, 'hex')).body;
    const topicId = produce.topicData[0]!.topicId;
    expect(topicId).not.toBe(ZERO_UUID);
    expect(produce.topicData[0]!.name).toBe('');
    // CreateTopics v7 answers with the new topic's id; Metadata v10+ lists ids too.
    const created = exchanges
      .filter((x) => x.apiKey === KafkaApis.CreateTopics.key && x.response)
      .flatMap((x) => decodeResponseFrame(KafkaApis.CreateTopics, x.apiVersion, Buffer.from(x.response!, 'hex')).body.topics)
      .map((t) => ({ name: t.name, topicId: t.topicId }));
    const listed = exchanges
      .filter((x) => x.apiKey === KafkaApis.Metadata.key && x.response)
      .flatMap((x) => decodeResponseFrame(KafkaApis.Metadata, x.apiVersion, Buffer.from(x.response!, 'hex')).body.topics)
      .map((t) => ({ name: t.name, topicId: t.topicId }));
    const named = [...created, ...listed].find((t) => t.topicId === topicId);
    expect(named?.name).toMatch(/^(p41|e2e41|t41)-/);
  });

  it('a Fetch v17 response from Apache 3.9 carries record batches with the 100-byte values EndToEndLatency sent', async () => {
    const exchanges = load('apache-kafka-3.9.1-java-clients').filter((x) => x.apiKey === KafkaApis.Fetch.key && x.apiVersion === 17);
    const values: Buffer[] = [];
    for (const ex of exchanges) {
      const res = decodeResponseFrame(KafkaApis.Fetch, 17, Buffer.from(ex.response!, 'hex')).body;
      for (const t of res.responses) {
        expect(t.topicId).not.toBe(ZERO_UUID);
        for (const p of t.partitions) if (p.records) for (const b of await decodeRecordSet(p.records)) values.push(...b.records.map((r) => r.value!));
      }
    }
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v) => v.length === 100)).toBe(true);
  });
});
