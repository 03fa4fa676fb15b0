import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from './broker-fixture.js';
import { runTool } from './run-tool.js';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./fixtures/kafka_python_client.py', import.meta.url));
const oldFormatsScript = fileURLToPath(new URL('./fixtures/kafka_python_old_formats.py', import.meta.url));
const hasKafkaPython = existsSync(PYTHON) && (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import kafka, snappy, lz4, zstandard'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasKafkaPython)('kafka-python against the reference broker (install python3-kafka python3-snappy python3-lz4 python3-zstandard)', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('creates a topic, produces with every codec, consumes by assignment, deletes the topic', async () => {
    const out = JSON.parse(await runTool(PYTHON, [script, broker.bootstrap], undefined, 90_000));
    expect(out.created).toBe(true);
    const codecs = ['gzip', 'snappy', 'lz4', 'zstd', 'none'];
    codecs.forEach((codec, c) => expect(out.produced[codec]).toEqual(Array.from({ length: 20 }, (_, i) => c * 20 + i)));
    expect(out.consumed).toHaveLength(100);
    out.consumed.forEach(([offset, key, value, header]: [number, string, string, string], n: number) => {
      const codec = codecs[Math.floor(n / 20)]!;
      const i = n % 20;
      expect([offset, key, value, header]).toEqual([n, `k${i}`, `${codec}-${i}-`.repeat(10), codec]);
    });
    expect(out.end_offsets).toBe(100);
    expect(out.deleted).toBe(true);
  });

  it('produces as to a 0.9/0.10 broker (Produce v1/v2, message formats v0/v1, each codec) and reads it all back converted', async () => {
    broker.state.createTopic('py-old', 1, {});
    const out = JSON.parse(await runTool(PYTHON, [oldFormatsScript, broker.bootstrap, 'py-old'], undefined, 90_000));
    const labels = ['0.10.1-gzip', '0.10.1-snappy', '0.10.1-lz4', '0.10.1-none', '0.9-gzip', '0.9-snappy', '0.9-none'];
    expect(out.produced).toEqual(labels.map((label, l) => [label, Array.from({ length: 5 }, (_, i) => l * 5 + i)]));
    expect(out.consumed).toHaveLength(35);
    out.consumed.forEach(([offset, key, value, timestamp]: [number, string, string, number], n: number) => {
      const label = labels[Math.floor(n / 5)]!;
      expect([offset, key, value]).toEqual([n, `k${n % 5}`, `${label}-${n % 5}`]);
      // Message format v0 has no timestamp; v1 carries the producer's create time.
      if (label.startsWith('0.9')) expect(timestamp).toBe(-1);
      else expect(timestamp).toBeGreaterThan(0);
    });
  });
});
