import { describe, expect, it } from 'vitest';
import { FrameReader, type FourLetterWord } from '../../../../protocols/zookeeper/index.js';

function frameOf(payload: string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(4);
  header.writeInt32BE(body.length);
  return Buffer.concat([header, body]);
}

function collect(options: ConstructorParameters<typeof FrameReader>[1] = {}) {
  const frames: string[] = [];
  const words: FourLetterWord[] = [];
  const reader = new FrameReader(
    { onFrame: (f) => frames.push(f.toString()), onFourLetterWord: (w) => words.push(w) },
    options,
  );
  return { reader, frames, words };
}

describe('FrameReader', () => {
  const stream = Buffer.concat([frameOf('hello'), frameOf(''), frameOf('x'.repeat(1000)), frameOf('end')]);
  const expected = ['hello', '', 'x'.repeat(1000), 'end'];

  it('splits one chunk holding several frames', () => {
    const { reader, frames } = collect();
    reader.push(stream);
    expect(frames).toEqual(expected);
    expect(reader.hasPartialFrame).toBe(false);
  });

  it('reassembles frames however the stream is chunked', () => {
    for (const size of [1, 2, 3, 5, 7, 64, 999]) {
      const { reader, frames } = collect();
      for (let i = 0; i < stream.length; i += size) reader.push(stream.subarray(i, i + size));
      expect(frames, `chunk size ${size}`).toEqual(expected);
    }
  });

  it('hands out frames that stay valid after later chunks arrive', () => {
    const kept: Buffer[] = [];
    const reader = new FrameReader({ onFrame: (f) => kept.push(f) });
    for (let i = 0; i < stream.length; i += 3) reader.push(Buffer.from(stream.subarray(i, i + 3)));
    expect(kept.map((f) => f.toString())).toEqual(expected);
  });

  it('rejects a negative length and then refuses further input', () => {
    const { reader } = collect();
    expect(() => reader.push(Buffer.from('ffffff00', 'hex'))).toThrow(expect.objectContaining({ code: 'KZ_ZK_FRAME_NEGATIVE_LENGTH' }));
    expect(() => reader.push(frameOf('ok'))).toThrow(expect.objectContaining({ code: 'KZ_ZK_FRAME_NEGATIVE_LENGTH' }));
  });

  it('rejects a length above jute.maxbuffer (default 0xfffff), configurable', () => {
    const over = Buffer.alloc(4);
    over.writeInt32BE(0x100000);
    expect(() => collect().reader.push(over)).toThrow(
      expect.objectContaining({ code: 'KZ_ZK_FRAME_TOO_LARGE', message: expect.stringContaining('jute.maxbuffer') }),
    );
    const at = Buffer.alloc(4);
    at.writeInt32BE(0xfffff);
    expect(() => collect().reader.push(at)).not.toThrow();
    const small = collect({ maxFrameSize: 4 });
    small.reader.push(frameOf('abcd'));
    expect(() => small.reader.push(frameOf('abcde'))).toThrow(expect.objectContaining({ code: 'KZ_ZK_FRAME_TOO_LARGE' }));
  });

  it('recognises a four-letter word only as the first bytes of a fresh connection', () => {
    const fresh = collect({ fourLetterWords: true });
    fresh.reader.push(Buffer.from('ru'));
    fresh.reader.push(Buffer.from('ok'));
    expect(fresh.words).toEqual(['ruok']);
    expect(fresh.frames).toEqual([]);

    const later = collect({ fourLetterWords: true });
    later.reader.push(frameOf('connect'));
    expect(() => later.reader.push(Buffer.from('srvr'))).toThrow(expect.objectContaining({ code: 'KZ_ZK_FRAME_TOO_LARGE' }));

    // Not a known word: an ordinary (oversize) length, as in Apache.
    expect(() => collect({ fourLetterWords: true }).reader.push(Buffer.from('abcd'))).toThrow(
      expect.objectContaining({ code: 'KZ_ZK_FRAME_TOO_LARGE' }),
    );
    // Words are ignored unless asked for (a client never receives them).
    expect(() => collect().reader.push(Buffer.from('ruok'))).toThrow(expect.objectContaining({ code: 'KZ_ZK_FRAME_TOO_LARGE' }));
  });

  it('stops reading when a handler throws, rather than losing sync silently', () => {
    let calls = 0;
    const reader = new FrameReader({
      onFrame: () => {
        calls++;
        throw new Error('boom');
      },
    });
    expect(() => reader.push(Buffer.concat([frameOf('a'), frameOf('b')]))).toThrow('boom');
    expect(() => reader.push(frameOf('c'))).toThrow(expect.objectContaining({ code: 'KZ_ZK_STREAM_BROKEN' }));
    expect(calls).toBe(1);
  });
});
