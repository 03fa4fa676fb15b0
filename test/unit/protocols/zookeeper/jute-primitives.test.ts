import { describe, expect, it } from 'vitest';
import { JuteReader, JuteWriter } from '../../../../protocols/zookeeper/index.js';

function written(fn: (w: JuteWriter) => void): string {
  const w = new JuteWriter(1);
  fn(w);
  return w.take().toString('hex');
}

describe('jute primitives', () => {
  it('int is 4 bytes big-endian and range-checked', () => {
    expect(written((w) => w.int(-2))).toBe('fffffffe');
    expect(written((w) => w.int(0x01020304))).toBe('01020304');
    expect(() => written((w) => w.int(2 ** 31))).toThrow(expect.objectContaining({ code: 'KZ_ZK_UNENCODABLE' }));
    expect(() => written((w) => w.int(1.5))).toThrow(expect.objectContaining({ code: 'KZ_ZK_UNENCODABLE' }));
  });

  it('long is a bigint over all 64 bits, both fast (safe-integer) and slow paths', () => {
    const cases: [bigint, string][] = [
      [0n, '0000000000000000'],
      [-1n, 'ffffffffffffffff'],
      [4294967296n, '0000000100000000'],
      [BigInt(Number.MAX_SAFE_INTEGER), '001fffffffffffff'],
      [BigInt(Number.MIN_SAFE_INTEGER), 'ffe0000000000001'],
      [0x7fffffffffffffffn, '7fffffffffffffff'],
      [-0x8000000000000000n, '8000000000000000'],
      // A session id: server id 0x72 in the top byte.
      [0x72000a1b2c3d4e5fn, '72000a1b2c3d4e5f'],
      [-0x0123456789abcdefn, 'fedcba9876543211'],
    ];
    for (const [value, hex] of cases) {
      expect(written((w) => w.long(value))).toBe(hex);
      expect(new JuteReader(Buffer.from(hex, 'hex')).long()).toBe(value);
    }
    expect(() => written((w) => w.long(1n << 63n))).toThrow(expect.objectContaining({ code: 'KZ_ZK_UNENCODABLE' }));
    expect(() => written((w) => w.long(5 as unknown as bigint))).toThrow(expect.objectContaining({ code: 'KZ_ZK_UNENCODABLE' }));
  });

  it('bool is one byte; only 1 reads as true (Java readBool)', () => {
    expect(written((w) => w.bool(true))).toBe('01');
    const r = new JuteReader(Buffer.from([1, 0, 2]));
    expect([r.bool(), r.bool(), r.bool()]).toEqual([true, false, false]);
  });

  it('ustring is length-prefixed UTF-8; -1 is null', () => {
    expect(written((w) => w.ustring('/a'))).toBe('000000022f61');
    expect(written((w) => w.ustring('é'))).toBe('00000002c3a9');
    expect(written((w) => w.ustring(null))).toBe('ffffffff');
    const long = 'é'.repeat(100);
    expect(new JuteReader(Buffer.from(written((w) => w.ustring(long)), 'hex')).ustring('x')).toBe(long);
    expect(new JuteReader(Buffer.from('ffffffff', 'hex')).ustringOrNull()).toBeNull();
    expect(() => new JuteReader(Buffer.from('ffffffff', 'hex')).ustring('CreateRequest.path')).toThrow(
      expect.objectContaining({ code: 'KZ_ZK_UNEXPECTED_NULL', message: expect.stringContaining('CreateRequest.path') }),
    );
  });

  it('buffer is length-prefixed bytes; -1 is null; views or copies on request', () => {
    expect(written((w) => w.buffer(Buffer.from([0xde, 0xad])))).toBe('00000002dead');
    expect(written((w) => w.buffer(null))).toBe('ffffffff');
    const frame = Buffer.from('00000002dead', 'hex');
    const view = new JuteReader(frame).buffer()!;
    const copy = new JuteReader(frame, 0, frame.length, { copyBuffers: true }).buffer()!;
    frame[4] = 0;
    expect(view.toString('hex')).toBe('00ad');
    expect(copy.toString('hex')).toBe('dead');
  });

  it('rejects lengths below -1 and lengths or counts beyond the frame', () => {
    expect(() => new JuteReader(Buffer.from('fffffffe', 'hex')).buffer()).toThrow(expect.objectContaining({ code: 'KZ_ZK_BAD_LENGTH' }));
    expect(() => new JuteReader(Buffer.from('00000005abcd', 'hex')).buffer()).toThrow(expect.objectContaining({ code: 'KZ_ZK_TRUNCATED' }));
    // A hostile count must not allocate: 0x7fffffff ACLs in an 8-byte frame.
    expect(() => new JuteReader(Buffer.from('7fffffff00000000', 'hex')).vectorCount(13)).toThrow(
      expect.objectContaining({ code: 'KZ_ZK_TRUNCATED' }),
    );
  });

  it('reads never cross the end set on the reader, even inside a larger buffer', () => {
    const buf = Buffer.from('0000000100000002', 'hex');
    const r = new JuteReader(buf, 0, 4);
    expect(r.int()).toBe(1);
    expect(() => r.int()).toThrow(expect.objectContaining({ code: 'KZ_ZK_TRUNCATED' }));
  });

  it('frames patch their length and batch into one buffer', () => {
    const w = new JuteWriter(2);
    for (const v of [7, 8]) {
      const start = w.beginFrame();
      w.int(v);
      w.endFrame(start);
    }
    expect(w.take().toString('hex')).toBe('00000004' + '00000007' + '00000004' + '00000008');
    expect(w.length).toBe(0);
    const start = w.beginFrame();
    w.buffer(Buffer.alloc(100));
    expect(() => w.endFrame(start, 50)).toThrow(expect.objectContaining({ code: 'KZ_ZK_FRAME_TOO_LARGE' }));
    expect(w.length).toBe(0);
  });
});
