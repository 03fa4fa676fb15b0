import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kafkaApiByKey } from '../../../../protocols/kafka/api-catalog.js';
import { KafkaCodecError } from '../../../../protocols/kafka/codec-error.js';
import { decodeRequestFrame, decodeResponseFrame } from '../../../../protocols/kafka/message-frames.js';

/**
 * A broker must never crash on a malformed frame: every corrupted or truncated variant of the
 * captured frames either decodes or raises KafkaCodecError (never a TypeError/RangeError).
 * Mutations come from a seeded generator, so the test is deterministic.
 */
const fixtureDir = new URL('../../../fixtures/kafka/', import.meta.url);
const exchanges = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.jsonl'))
  .flatMap((f) =>
    readFileSync(new URL(f, fixtureDir), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { apiKey: number; apiVersion: number; request: string; response: string | null }),
  );

function prng(seed: number): () => number {
  // mulberry32
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(buf: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(buf);
  switch (Math.floor(rnd() * 4)) {
    case 0: // flip a few bytes (lengths and counts included)
      for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++) out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
      return out;
    case 1: // truncate
      return out.subarray(0, Math.floor(rnd() * out.length));
    case 2: // a huge length/count somewhere
      if (out.length >= 4) out.writeInt32BE(0x7ffffff0, Math.floor(rnd() * (out.length - 3)));
      return out;
    default: // trailing garbage
      return Buffer.concat([out, Buffer.from([Math.floor(rnd() * 256)])]);
  }
}

function expectCodecErrorOrSuccess(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(KafkaCodecError);
  }
}

describe('malformed frames', () => {
  it('requests: 20 corrupted variants of every captured request decode or fail with KafkaCodecError', () => {
    const rnd = prng(42);
    for (const ex of exchanges) {
      const frame = Buffer.from(ex.request, 'hex');
      for (let i = 0; i < 20; i++) expectCodecErrorOrSuccess(() => decodeRequestFrame(mutate(frame, rnd)));
    }
  });

  it('responses: 20 corrupted variants of every captured response decode or fail with KafkaCodecError', () => {
    const rnd = prng(7);
    for (const ex of exchanges) {
      if (!ex.response) continue;
      const api = kafkaApiByKey(ex.apiKey)!;
      const frame = Buffer.from(ex.response, 'hex');
      for (let i = 0; i < 20; i++) expectCodecErrorOrSuccess(() => decodeResponseFrame(api, ex.apiVersion, mutate(frame, rnd)));
    }
  });
});
