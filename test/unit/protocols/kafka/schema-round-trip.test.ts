import { describe, expect, it } from 'vitest';
import { allKafkaApis } from '../../../../protocols/kafka/api-catalog.js';
import { decodeMessage, encodeMessage } from '../../../../protocols/kafka/schema/compile-codec.js';
import { sampleMessage } from './sample-message.js';

/**
 * Every API, request and response, at every version the codec speaks (so min, max and the
 * flexible/non-flexible boundary are all covered): encode a value with every field set,
 * decode it, compare, and re-encode byte-identically.
 */
describe('every Kafka API round-trips at every supported version', () => {
  for (const api of allKafkaApis()) {
    describe(`${api.name} (key ${api.key}) v${api.minVersion}-v${api.maxVersion}`, () => {
      for (let version = api.minVersion; version <= api.maxVersion; version++) {
        for (const spec of [api.request, api.response]) {
          it(`${spec.name} v${version}`, () => {
            const value = sampleMessage(spec, version, version + 1);
            const bytes = encodeMessage(spec, version, value as never);
            const decoded = decodeMessage(spec, version, bytes);
            expect(decoded).toMatchObject(value);
            expect(encodeMessage(spec, version, decoded as never).equals(bytes)).toBe(true);
          });
        }
      }
    });
  }

  it('covers the flexible boundary of each API that has one', () => {
    const withBoundary = allKafkaApis().filter((a) => a.firstFlexibleVersion > a.minVersion && a.firstFlexibleVersion <= a.maxVersion);
    expect(withBoundary.map((a) => a.name)).toContain('Produce');
    expect(withBoundary.map((a) => a.name)).toContain('Fetch');
  });
});
