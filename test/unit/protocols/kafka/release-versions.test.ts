import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { decodeResponseFrame } from '../../../../protocols/kafka/message-frames.js';
import { apiVersionsForRelease, knownKafkaReleases } from '../../../../protocols/kafka/release-versions.js';

const fixtureDir = new URL('../../../fixtures/kafka/', import.meta.url);

describe('--as-version release table', () => {
  it('knows 2.8, 3.9, 4.0 and 4.1', () => {
    expect(knownKafkaReleases()).toEqual(['2.8', '3.9', '4.0', '4.1']);
  });

  for (const [release, fixture] of [
    ['3.9.1', 'apache-kafka-3.9.1-java-clients.jsonl'],
    ['4.1.0', 'apache-kafka-4.1.0-java-clients.jsonl'],
  ] as const) {
    it(`matches, for every API the codec knows, what a real Apache Kafka ${release} broker advertised`, () => {
      const exchange = readFileSync(fileURLToPath(new URL(fixture, fixtureDir)), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { apiKey: number; apiVersion: number; response: string })
        .find((e) => e.apiKey === KafkaApis.ApiVersions.key)!;
      const { body } = decodeResponseFrame(KafkaApis.ApiVersions, exchange.apiVersion, Buffer.from(exchange.response, 'hex'));
      const ours = new Set(Object.values(KafkaApis).map((a) => a.key));
      const advertised = body.apiKeys
        .filter((k) => ours.has(k.apiKey))
        .map((k) => ({ apiKey: k.apiKey, minVersion: k.minVersion, maxVersion: k.maxVersion }));
      expect(apiVersionsForRelease(release)).toEqual(advertised);
    });
  }

  it('applies the Kafka 4 floors (KIP-896) but keeps Produce min 0 as 4.x brokers advertise', () => {
    const v40 = new Map(apiVersionsForRelease('4.0').map((a) => [a.apiKey, a]));
    expect(v40.get(KafkaApis.Fetch.key)).toEqual({ apiKey: 1, minVersion: 4, maxVersion: 17 });
    expect(v40.get(KafkaApis.Produce.key)).toEqual({ apiKey: 0, minVersion: 0, maxVersion: 12 });
    expect(v40.get(KafkaApis.ListOffsets.key)?.minVersion).toBe(1);
  });

  it('rejects an unknown release with a usage error', () => {
    expect(() => apiVersionsForRelease('1.0')).toThrow(/unknown Kafka release "1.0".*2.8, 3.9, 4.0, 4.1/);
  });
});
