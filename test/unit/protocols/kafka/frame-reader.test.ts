import { describe, expect, it } from 'vitest';
import { KafkaCodecError, KafkaFrameTooLargeError } from '../../../../protocols/kafka/codec-error.js';
import { FrameReader } from '../../../../protocols/kafka/frame-reader.js';

function frame(body: string): Buffer {
  const b = Buffer.from(body);
  const size = Buffer.alloc(4);
  size.writeInt32BE(b.length);
  return Buffer.concat([size, b]);
}

describe('FrameReader', () => {
  it('cuts several frames out of one chunk', () => {
    const got: string[] = [];
    new FrameReader().push(Buffer.concat([frame('one'), frame(''), frame('three')]), (f) => got.push(f.toString()));
    expect(got).toEqual(['one', '', 'three']);
  });

  it('reassembles frames delivered one byte at a time, and frames stay valid afterwards', () => {
    const stream = Buffer.concat([frame('alpha'), frame('x'.repeat(10_000)), frame('omega')]);
    const reader = new FrameReader();
    const got: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1), (f) => got.push(f));
    expect(got.map((f) => f.toString())).toEqual(['alpha', 'x'.repeat(10_000), 'omega']);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('handles a frame split across chunks of uneven sizes', () => {
    const stream = Buffer.concat([frame('a'.repeat(5000)), frame('b'.repeat(3)), frame('c'.repeat(70_000))]);
    const reader = new FrameReader();
    const got: Buffer[] = [];
    for (const cut of [[0, 2], [2, 4100], [4100, 5010], [5010, 5011], [5011, stream.length]] as const) {
      reader.push(stream.subarray(cut[0], cut[1]), (f) => got.push(f));
    }
    expect(got.map((f) => f.length)).toEqual([5000, 3, 70_000]);
    expect(got[2]!.every((b) => b === 0x63)).toBe(true);
    expect(got[0]!.every((b) => b === 0x61)).toBe(true);
  });

  it('rejects a frame larger than maxFrameSize before buffering it', () => {
    const reader = new FrameReader({ maxFrameSize: 100 });
    const header = Buffer.alloc(4);
    header.writeInt32BE(101);
    expect(() => reader.push(header, () => {})).toThrow(KafkaFrameTooLargeError);
  });

  it('rejects a negative size (not the Kafka protocol, e.g. an HTTP request)', () => {
    expect(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xfe]), () => {})).toThrow(KafkaCodecError);
    // "GET " is a size of ~1.2 GB: over the default 100 MiB limit.
    expect(() => new FrameReader().push(Buffer.from('GET / HTTP/1.1\r\n'), () => {})).toThrow(/exceeds the limit/);
  });
});
