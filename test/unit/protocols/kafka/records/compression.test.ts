import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CompressionType, codecFor, rawSnappyCodec, snappyCodec, isXerialFramed } from '../../../../../protocols/kafka/records/index.js';

const sample = Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(5000) + 'tail', 'utf8');

describe('compression codecs', () => {
  for (const name of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`${name} round-trips`, async () => {
      const codec = codecFor(CompressionType[name]);
      const packed = await codec.compress(sample);
      expect(packed.length).toBeLessThan(sample.length);
      expect((await codec.decompress(packed)).equals(sample)).toBe(true);
      expect((await codec.decompress(await codec.compress(Buffer.alloc(0)))).length).toBe(0);
    });
  }

  it('reads both snappy framings (xerial from Java, raw from librdkafka)', async () => {
    const xerial = await snappyCodec.compress(sample);
    const raw = await rawSnappyCodec.compress(sample);
    expect(isXerialFramed(xerial)).toBe(true);
    expect(isXerialFramed(raw)).toBe(false);
    expect((await snappyCodec.decompress(xerial)).equals(sample)).toBe(true);
    expect((await snappyCodec.decompress(raw)).equals(sample)).toBe(true);
  });

  it('rejects garbage with a codec error, not a crash', async () => {
    const garbage = Buffer.from('definitely not compressed data at all');
    for (const name of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      await expect(codecFor(CompressionType[name]).decompress(garbage)).rejects.toThrow();
    }
    expect(() => codecFor(7)).toThrow(/unknown compression codec id 7/);
  });

  const cli = (tool: string) => ['/usr/bin/' + tool].find(existsSync);
  it.skipIf(!cli('zstd'))('decodes a streaming zstd frame without a content size (as the Java client writes)', async () => {
    // zstd reading stdin cannot know the size, so its frame omits it, like ZstdOutputStream.
    const frame = execFileSync('/usr/bin/zstd', ['-c', '-q'], { input: sample });
    expect((await codecFor(CompressionType.zstd).decompress(frame)).equals(sample)).toBe(true);
  });
  it.skipIf(!cli('lz4'))('decodes an LZ4 frame written by the reference lz4 tool', async () => {
    const frame = execFileSync('/usr/bin/lz4', ['-c', '-q', '--content-size', '-BD'], { input: sample });
    expect((await codecFor(CompressionType.lz4).decompress(frame)).equals(sample)).toBe(true);
    const plain = execFileSync('/usr/bin/lz4', ['-c', '-q'], { input: sample });
    expect((await codecFor(CompressionType.lz4).decompress(plain)).equals(sample)).toBe(true);
  });
});
