import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker } from './broker-fixture.js';
import { runTool } from './run-tool.js';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./fixtures/kafka_python_client.py', import.meta.url));
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
});
