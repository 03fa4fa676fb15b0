import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CodecError,
  FrameReader,
  JuteReader,
  decodeConnectRequest,
  decodeConnectResponse,
  decodeReply,
  decodeRequest,
  opTable,
  type RequestType,
} from '../../../../protocols/zookeeper/index.js';

/**
 * A server must never crash on a malformed frame: every decoder either returns a value or
 * throws a CodecError (which the server turns into MARSHALLINGERROR or a closed connection),
 * never a TypeError or RangeError. Deterministic: a seeded generator, real frames mutated.
 */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const captured = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../fixtures/zookeeper/apache-3.8.0/java-client.json', import.meta.url)), 'utf8'),
) as { connections: { frames: { from: string; hex: string }[] }[] };
const realFrames = captured.connections.flatMap((c) => c.frames.map((f) => Buffer.from(f.hex, 'hex')));

function mutate(frame: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(frame);
  const kind = Math.floor(rnd() * 4);
  if (kind === 0 && out.length > 0) out[Math.floor(rnd() * out.length)] = Math.floor(rnd() * 256);
  if (kind === 1) return out.subarray(0, Math.floor(rnd() * out.length));
  if (kind === 2 && out.length >= 4) out.writeInt32BE([-2, -1, 0x7fffffff, 1 << 20, 3][Math.floor(rnd() * 5)]!, Math.floor(rnd() * (out.length - 3)));
  if (kind === 3) return Buffer.concat([out, Buffer.from([Math.floor(rnd() * 256)])]);
  return out;
}

function onlyCodecErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
  }
}

describe('malformed input', () => {
  const requestTypes = Object.keys(opTable).map(Number) as RequestType[];

  it('decoders throw only CodecError on random and mutated frames', () => {
    const rnd = random(42);
    for (let i = 0; i < 4000; i++) {
      const frame =
        i % 2 === 0
          ? mutate(realFrames[Math.floor(rnd() * realFrames.length)]!, rnd)
          : Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
      onlyCodecErrors(() => decodeRequest(frame));
      onlyCodecErrors(() => decodeConnectRequest(frame));
      onlyCodecErrors(() => decodeConnectResponse(frame));
      onlyCodecErrors(() => decodeReply(requestTypes[i % requestTypes.length]!, frame, new JuteReader()));
    }
  });

  it('the frame reader throws only CodecError on random streams', () => {
    const rnd = random(7);
    for (let i = 0; i < 2000; i++) {
      const reader = new FrameReader({ onFrame: () => undefined, onFourLetterWord: () => undefined }, { fourLetterWords: i % 2 === 0 });
      const stream = Buffer.from(Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)));
      onlyCodecErrors(() => reader.push(stream));
    }
  });

  it('still decodes the captured frames after all that (no shared state was corrupted)', () => {
    expect(() => decodeConnectRequest(realFrames[0]!)).not.toThrow();
  });
});
