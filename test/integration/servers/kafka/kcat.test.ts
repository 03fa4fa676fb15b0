import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecordSet } from '../../../../protocols/kafka/records/index.js';
import { startTestBroker } from './broker-fixture.js';
import { runTool } from './run-tool.js';

const KCAT = '/usr/bin/kcat';
const hasKcat = existsSync(KCAT);

const kcat = (args: string[], input?: string) => runTool(KCAT, args, input);

describe.skipIf(!hasKcat)('kcat (librdkafka 2.0) against the reference broker (install kcat)', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  beforeAll(async () => {
    broker = await startTestBroker({ 'num.partitions': '3' });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd', 'none'] as const) {
    it(`produces with ${codec} and consumes it back`, async () => {
      const topic = `kcat-${codec}`;
      // Repetitive values so librdkafka's "only if smaller" rule keeps the compression.
      const lines = Array.from({ length: 200 }, (_, i) => `k${i % 7}:value-${i}-${'x'.repeat(100)}`);
      await kcat(['-b', broker.bootstrap, '-P', '-t', topic, '-p', '0', '-K:', '-z', codec, '-X', 'linger.ms=50'], lines.join('\n') + '\n');
      // The batches in the log carry the producer's codec (compression.type=producer).
      const log = broker.state.partitionLog(topic, 0)!;
      const batches = await decodeRecordSet(log.read(0, 1 << 24).records!);
      const codecs = new Set(batches.map((b) => b.attributes & 7));
      // librdkafka ≤ 2.x turns LZ4 on only when the broker advertises FindCoordinator
      // (rdkafka_feature.c); the broker has consumer groups, so LZ4 is stored as lz4.
      const expected = { gzip: 1, snappy: 2, lz4: 3, zstd: 4, none: 0 }[codec];
      expect(codecs).toEqual(new Set([expected]));

      const out = await kcat(['-b', broker.bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%o|%k|%s\\n']);
      const got = out.trim().split('\n');
      expect(got).toHaveLength(200);
      got.forEach((line, i) => expect(line).toBe(`${i}|k${i % 7}|value-${i}-${'x'.repeat(100)}`));
    });
  }

  it('consumes from an offset, from the end, and lists metadata', async () => {
    const topic = 'kcat-offsets';
    await kcat(['-b', broker.bootstrap, '-P', '-t', topic, '-p', '1'], Array.from({ length: 10 }, (_, i) => `m${i}`).join('\n') + '\n');
    expect((await kcat(['-b', broker.bootstrap, '-C', '-t', topic, '-p', '1', '-o', '7', '-e', '-q', '-f', '%o:%s\\n'])).trim().split('\n')).toEqual(['7:m7', '8:m8', '9:m9']);
    expect((await kcat(['-b', broker.bootstrap, '-C', '-t', topic, '-p', '1', '-o', '-2', '-e', '-q', '-f', '%o:%s\\n'])).trim().split('\n')).toEqual(['8:m8', '9:m9']);
    expect((await kcat(['-b', broker.bootstrap, '-C', '-t', topic, '-p', '1', '-o', 'end', '-e', '-q', '-f', '%o:%s\\n'])).trim()).toBe('');
    const meta = JSON.parse(await kcat(['-b', broker.bootstrap, '-L', '-J']));
    expect(meta.brokers).toEqual([{ id: 1, name: `${broker.bootstrap}` }]);
    const t = meta.topics.find((x: { topic: string }) => x.topic === topic);
    expect(t.partitions).toHaveLength(3);
    expect(t.partitions[1]).toMatchObject({ partition: 1, leader: 1, replicas: [{ id: 1 }], isrs: [{ id: 1 }] });
  });
});
