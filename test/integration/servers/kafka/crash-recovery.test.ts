import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../common/ports.js';
import { decodeRecordSet } from '../../../../protocols/kafka/records/index.js';
import { startKafkaBroker } from '../../../../servers/kafka/kafka-broker.js';

const cli = fileURLToPath(new URL('../../../../dist/cli/main.js', import.meta.url));

function startChildBroker(port: number, logDir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'serve', 'kafka', '--port', String(port), '--log-dir', logDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', reject);
    child.stdout!.once('data', () => resolve(child)); // it prints host:port once listening
    child.once('exit', (code) => reject(new Error(`broker exited early with ${code}`)));
  });
}

describe.skipIf(!existsSync(cli))('crash safety: kill -9 during an acks=all produce storm (run npm run build first)', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'kz-crash-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(logDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged record at its offset, in order, without duplicates or gaps', async () => {
    const port = await freePort();
    child = await startChildBroker(port, logDir);
    // Listen before the kill: the exit may come before the senders' failures are all in.
    const exited = new Promise((r) => child!.once('exit', r));
    const kafka = new Kafka({ clientId: 'kz-crash', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'storm', numPartitions: 3 }] });
    await admin.disconnect();

    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    const acked: Array<{ partition: number; offset: number; value: string }> = [];
    let seq = 0;
    let killed = false;
    const killAfterAcks = 400;
    const sender = async (worker: number) => {
      while (!killed) {
        const partition = worker % 3;
        const values = Array.from({ length: 10 }, () => `v${seq++}-${'x'.repeat(200)}`);
        try {
          const [meta] = await producer.send({ topic: 'storm', acks: -1, messages: values.map((value) => ({ partition, value })) });
          const base = Number(meta!.baseOffset);
          values.forEach((value, i) => acked.push({ partition, offset: base + i, value }));
          if (acked.length >= killAfterAcks * 10 && !killed) {
            killed = true;
            child!.kill('SIGKILL');
          }
        } catch {
          // In flight when the broker died: may or may not be stored; never acknowledged.
        }
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5].map(sender));
    await exited;
    await producer.disconnect().catch(() => {});
    expect(acked.length).toBeGreaterThanOrEqual(killAfterAcks * 10);

    // Restart on the same log dir (unclean: recovery runs) and read every partition back.
    const broker = await startKafkaBroker({ port: 0, logDir });
    try {
      expect(broker.state.logs.recoveredFromCrash).toBe(true);
      for (const partition of [0, 1, 2]) {
        const log = broker.state.partitionLog('storm', partition)!;
        const stored = new Map<number, string>();
        let offset = 0;
        while (offset < log.logEndOffset) {
          const batches = await decodeRecordSet(log.read(offset, 1 << 20).records!);
          for (const b of batches) {
            for (const r of b.records) {
              const o = b.baseOffset + r.offsetDelta;
              expect(stored.has(o)).toBe(false);
              stored.set(o, r.value!.toString());
            }
            offset = b.baseOffset + b.lastOffsetDelta + 1;
          }
        }
        // No gaps: offsets 0..LEO-1 all present (no control records exist yet).
        expect([...stored.keys()]).toEqual(Array.from({ length: log.logEndOffset }, (_, i) => i));
        for (const a of acked.filter((x) => x.partition === partition)) expect(stored.get(a.offset)).toBe(a.value);
        // No duplicates of a value across offsets.
        expect(new Set(stored.values()).size).toBe(stored.size);
      }
    } finally {
      await broker.close();
    }
  });
});
