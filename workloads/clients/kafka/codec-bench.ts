/**
 * Quick micro-benchmark of the Kafka codec (not part of `npm test`; speed lives in benches):
 *
 *   node --import tsx workloads/clients/kafka/codec-bench.ts
 *
 * Encodes a Produce request and decodes Fetch/Metadata responses captured from Apache Kafka,
 * and decodes the same Metadata v6 response with kafkajs for comparison.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ByteReader } from '../../../protocols/kafka/byte-reader.js';
import { ByteWriter } from '../../../protocols/kafka/byte-writer.js';
import { decodeResponseFrame, encodeRequestFrame } from '../../../protocols/kafka/message-frames.js';
import { codecFor } from '../../../protocols/kafka/schema/compile-codec.js';

const fixtures = new URL('../../../test/fixtures/kafka/', import.meta.url);
function exchange(file: string, apiKey: number, apiVersion: number): { request: Buffer; response: Buffer } {
  const line = readFileSync(new URL(file, fixtures), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { apiKey: number; apiVersion: number; request: string; response: string })
    .find((e) => e.apiKey === apiKey && e.apiVersion === apiVersion);
  if (!line) throw new Error(`no fixture ${file} ${apiKey}v${apiVersion}`);
  return { request: Buffer.from(line.request, 'hex'), response: Buffer.from(line.response, 'hex') };
}

const metadataV6 = exchange('kafkajs-2.2.4.jsonl', 3, 6).response;
const metadataV12 = exchange('apache-kafka-3.9.1-java-clients.jsonl', 3, 12).response;
const fetchV17 = exchange('apache-kafka-3.9.1-java-clients.jsonl', 1, 17).response;
const batch = Buffer.alloc(16 * 1024, 7);
const produceBody = {
  acks: -1,
  timeoutMs: 30_000,
  topicData: [{ name: 'bench-topic', partitionData: Array.from({ length: 8 }, (_, index) => ({ index, records: batch })) }],
};
const produceResponse = {
  responses: [{ name: 'bench-topic', partitionResponses: Array.from({ length: 8 }, (_, index) => ({ index, errorCode: 0, baseOffset: 123_456n })) }],
};
const require = createRequire(import.meta.url);
const kafkajsMetadataV6 = require('kafkajs/src/protocol/requests/metadata/v6/response.js') as { decode(b: Buffer): Promise<unknown> };

const bench = new Bench({ time: 500 });
let correlationId = 0;
bench
  .add('encode Produce v9 request (8 x 16 KiB batches, zero copy)', () => {
    encodeRequestFrame(KafkaApis.Produce, { apiKey: 0, apiVersion: 9, correlationId: correlationId++, clientId: 'bench' }, produceBody).toChunks();
  })
  .add('encode Produce v9 response (8 partitions)', () => {
    const w = new ByteWriter(256);
    codecFor(KafkaApis.Produce.response, 9).encode(w, produceResponse);
    w.toBuffer();
  })
  .add('decode Fetch v17 response (captured)', () => {
    decodeResponseFrame(KafkaApis.Fetch, 17, fetchV17);
  })
  .add('decode Metadata v12 response (captured)', () => {
    decodeResponseFrame(KafkaApis.Metadata, 12, metadataV12);
  })
  .add('decode Metadata v6 response (captured) - kzbench', () => {
    codecFor(KafkaApis.Metadata.response, 6).decode(new ByteReader(metadataV6, 4));
  })
  .add('decode Metadata v6 response (captured) - kafkajs', async () => {
    await kafkajsMetadataV6.decode(metadataV6.subarray(4));
  });

await bench.run();
console.table(bench.table());
