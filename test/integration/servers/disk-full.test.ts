import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../common/ports.js';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { buildRecordBatch } from '../../../protocols/kafka/records/index.js';
import { OpCode } from '../../../protocols/zookeeper/index.js';
import { KafkaClient } from '../../../workloads/clients/kafka/kafka-client.js';
import { cliPath } from '../../support/cli.js';
import { mountSmallTmpfs, type SmallTmpfs } from '../../support/small-tmpfs.js';
import { RawZkClient } from './zookeeper/support/raw-zk-client.js';

const MiB = 1024 * 1024;
const probe = mountSmallTmpfs(MiB);
const missing = typeof probe === 'string' ? probe : null;
if (typeof probe !== 'string') probe.dispose();
if (missing) console.warn(`skipping the full-disk tests: ${missing}`);

/** `kzbench serve <system>` as an operator runs it, with its exit code and stderr. */
class Served {
  stderr = '';
  readonly exited: Promise<number | null>;
  private constructor(readonly child: ChildProcess) {
    child.stderr!.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(args: string[]): Promise<Served> {
    const s = new Served(spawn(process.execPath, [cliPath, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      s.child.stdout!.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve();
      });
      void s.exited.then((code) => reject(new Error(`server exited with ${code} before serving:\n${s.stderr}`)));
    });
    return s;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/**
 * A disk that fills up under the reference servers, for real (a small tmpfs): the server
 * stops at the first failed write, exit code 1, as Apache does (ZooKeeper's sync thread and
 * Kafka's log dir failure both end the process), and after the disk is grown and the server
 * started again every acknowledged write is there and writes go on.
 */
describe.skipIf(missing !== null)('a full disk under the reference servers', () => {
  const disks: SmallTmpfs[] = [];
  const servers: Served[] = [];
  const disk = (bytes: number) => {
    const d = mountSmallTmpfs(bytes) as SmallTmpfs;
    disks.push(d);
    return d;
  };
  const serve = async (args: string[]) => {
    const s = await Served.start(args);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const d of disks) d.dispose();
  });

  it('Kafka: the failing produce gets KAFKA_STORAGE_ERROR, the broker halts (exit 1), and a restart recovers every acknowledged record', async () => {
    const fs = disk(2 * MiB);
    const port = await freePort();
    const args = ['kafka', '--port', String(port), '--host', '127.0.0.1', '--log-dir', join(fs.dir, 'kafka')];
    const broker = await serve(args);
    const kafka = new Kafka({ clientId: 'kz-full-disk', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'full', numPartitions: 1 }] });
    await admin.disconnect();
    // Raw Produce requests (kzbench's client), to see the broker's own answer to each batch.
    const client = await KafkaClient.connect({ bootstrap: `127.0.0.1:${port}` });
    const conn = await client.anyConnection();
    const acked: string[] = [];
    let failure: { errorCode: number } | Error | undefined;
    for (let batch = 0; batch < 200 && !failure; batch++) {
      const values = Array.from({ length: 10 }, (_, i) => `b${batch}-r${i}-${'x'.repeat(10_000)}`);
      const records = await buildRecordBatch(values.map((value) => ({ value })));
      try {
        const res = await conn.request(KafkaApis.Produce, { transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: 'full', partitionData: [{ index: 0, records }] }] }, 9);
        const p = res.responses[0]!.partitionResponses[0]!;
        if (p.errorCode === 0) acked.push(...values);
        else failure = p;
      } catch (err) {
        failure = err as Error;
      }
    }
    await client.close().catch(() => {});
    expect(acked.length).toBeGreaterThan(0);
    expect(failure, broker.stderr).toEqual({ ...failure, errorCode: ErrorCode.KAFKA_STORAGE_ERROR });
    expect(await broker.exited).toBe(1);
    expect(broker.stderr).toMatch(/log dir .* failed \(ENOSPC/);

    fs.resize(16 * MiB);
    const again = await serve(args);
    expect(again.stderr).toMatch(/did not shut down cleanly/);
    const consumer = kafka.consumer({ groupId: 'kz-full-disk-check' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'full', fromBeginning: true });
    const read: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          read.push(message.value!.toString());
          if (read.length >= acked.length) resolve();
        },
      });
    });
    await consumer.disconnect();
    // Every acknowledged record, once, in order; the failed batch at most whole, never torn.
    expect(read.slice(0, acked.length)).toEqual(acked);
    expect(read.length).toBeLessThanOrEqual(acked.length + 10);
    const more = kafka.producer({ retry: { retries: 0 } });
    await more.connect();
    await more.send({ topic: 'full', acks: -1, messages: [{ value: 'after' }] });
    await more.disconnect();
    await again.stop();
    expect(await again.exited).toBe(0);
  });

  it('ZooKeeper: the server stops at the failed log write (exit 1), and a restart has every acknowledged znode', async () => {
    const fs = disk(4 * MiB);
    const port = await freePort();
    const args = ['zookeeper', '--port', String(port), '--host', '127.0.0.1', '--data-dir', join(fs.dir, 'zk')];
    const server = await serve(args);
    const client = await RawZkClient.connect('127.0.0.1', port, { timeout: 4000 });
    const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
    const acked: string[] = [];
    for (let i = 0; i < 500; i++) {
      const path = `/n${String(i).padStart(4, '0')}`;
      const reply = await client.request(OpCode.create, { path, data: Buffer.alloc(100_000, i % 256), acl: OPEN, flags: 0 }).catch(() => null);
      if (reply === null || reply.header.err !== 0) break;
      acked.push(path);
    }
    client.destroy();
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.length).toBeLessThan(500);
    expect(await server.exited).toBe(1);
    expect(server.stderr).toMatch(/transaction log failed \(ENOSPC/);

    fs.resize(32 * MiB);
    await serve(args);
    const check = await RawZkClient.connect('127.0.0.1', port, { timeout: 4000 });
    const children = await check.request(OpCode.getChildren, { path: '/', watch: false });
    const names = (children.body as { children: string[] }).children.filter((c) => c.startsWith('n')).map((c) => `/${c}`).sort();
    expect(names.slice(0, acked.length)).toEqual(acked);
    expect(names.length).toBeLessThanOrEqual(acked.length + 1);
    const created = await check.request(OpCode.create, { path: '/after', data: null, acl: OPEN, flags: 0 });
    expect(created.header.err).toBe(0);
    check.destroy();
  });
});
