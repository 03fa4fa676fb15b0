import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockOffsetEnvVar as serverClockEnvVar } from '../../../servers/zookeeper/fault-injection.js';
import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { buildRecordBatch } from '../../../protocols/kafka/records/index.js';
import { KafkaClient } from '../../../workloads/clients/kafka/kafka-client.js';
import { ZooKeeperClient } from '../../../workloads/clients/zookeeper/index.js';
import { LocalCluster } from '../../../workloads/launchers/local-cluster.js';
import { clockOffsetEnvVar, faketimeEnvironment, findLibfaketime, writeClockOffset } from '../../../workloads/nemesis/clock-skew.js';
import { cachedApache } from '../launchers/cached-apache.js';
import { cliPath } from '../../support/cli.js';
import { existsSync } from 'node:fs';

/** A znode's mtime minus the local clock when it was written: the server's clock skew. */
async function skewSeenByServer(connectString: string, path: string): Promise<number> {
  const zk = await ZooKeeperClient.connect({ hosts: connectString, sessionTimeout: 10_000 });
  try {
    const before = Date.now();
    await zk.create(path, Buffer.from('x'));
    const stat = await zk.exists(path);
    return Number(stat!.mtime) - before;
  } finally {
    await zk.close();
  }
}

const apache = await cachedApache('zookeeper', '3.9.5');
const lib = findLibfaketime();
if (!apache.dist) console.warn(`skipping the Apache clock-skew test: ${apache.reason}`);
if (!lib) console.warn('skipping the Apache clock-skew test: libfaketime is missing (apt-get install faketime)');

describe('clock skew reaches the servers (libfaketime for JVMs, an injected clock for the reference servers)', { timeout: 240_000 }, () => {
  let dir: string | undefined;
  let cluster: LocalCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
    cluster = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function startWithOffsetFile(impl: 'apache' | 'reference', env: (file: string) => Record<string, string>, system: 'zookeeper' | 'kafka' = 'zookeeper'): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'kz-clock-'));
    let offsetFile = '';
    cluster = await LocalCluster.start({
      system,
      impl,
      ...(impl === 'apache' ? { version: '3.9.5' } : {}),
      nodes: 1,
      dir,
      wrapNodeCommand: (_id, cmd) => {
        offsetFile = join(cmd.cwd, 'kzbench-clock-offset');
        writeClockOffset(offsetFile, 0);
        return { ...cmd, env: { ...cmd.env, ...env(offsetFile) } };
      },
    });
    return offsetFile;
  }

  it.skipIf(!existsSync(cliPath))('reference ZooKeeper: the wall clock follows the offset file, both ways', async () => {
    expect(clockOffsetEnvVar).toBe(serverClockEnvVar);
    const file = await startWithOffsetFile('reference', (f) => ({ [clockOffsetEnvVar]: f }));
    expect(Math.abs(await skewSeenByServer(cluster!.connectString, '/before'))).toBeLessThan(30_000);
    writeClockOffset(file, 3_600_000);
    // The server re-reads the file every 250 ms: wait until a write shows it (a write can take
    // far less than that, so pause between attempts rather than counting on write latency).
    let skew = 0;
    for (let i = 0; i < 50 && skew < 3_000_000; i++) {
      skew = await skewSeenByServer(cluster!.connectString, `/ahead-${i}`);
      if (skew < 3_000_000) await new Promise((r) => setTimeout(r, 100));
    }
    expect(skew).toBeGreaterThan(3_500_000);
    writeClockOffset(file, -3_600_000);
    for (let i = 0; i < 50 && skew > -3_000_000; i++) {
      skew = await skewSeenByServer(cluster!.connectString, `/behind-${i}`);
      if (skew > -3_000_000) await new Promise((r) => setTimeout(r, 100));
    }
    expect(skew).toBeLessThan(-3_500_000);
  });

  it.skipIf(!existsSync(cliPath))('reference Kafka broker: LogAppendTime follows the offset file, both ways', async () => {
    const file = await startWithOffsetFile('reference', (f) => ({ [clockOffsetEnvVar]: f }), 'kafka');
    const client = await KafkaClient.connect({ bootstrap: cluster!.connectString });
    try {
      await client.createTopic('clock', { configs: { 'message.timestamp.type': 'LogAppendTime' } });
      const conn = await client.anyConnection();
      /** The broker's LogAppendTime of a record minus the local clock when it was sent. */
      const skewSeenByBroker = async () => {
        const before = Date.now();
        const records = await buildRecordBatch([{ value: 'x' }]);
        const res = await conn.request(KafkaApis.Produce, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: 'clock', partitionData: [{ index: 0, records }] }] }, 9);
        const p = res.responses[0]!.partitionResponses[0]!;
        expect(p.errorCode).toBe(0);
        return Number(p.logAppendTimeMs) - before;
      };
      expect(Math.abs(await skewSeenByBroker())).toBeLessThan(30_000);
      for (const [offset, beyond] of [[3_600_000, (skew: number) => skew > 3_500_000], [-3_600_000, (skew: number) => skew < -3_500_000]] as const) {
        writeClockOffset(file, offset);
        // Re-read every 250 ms: pause between attempts rather than count on produce latency.
        let skew = 0;
        for (let i = 0; i < 50 && !beyond(skew); i++) {
          skew = await skewSeenByBroker();
          if (!beyond(skew)) await new Promise((r) => setTimeout(r, 100));
        }
        expect(beyond(skew), `skew ${skew} ms with offset ${offset} ms`).toBe(true);
      }
    } finally {
      await client.close();
    }
  });

  it.skipIf(!apache.dist || !lib)('Apache ZooKeeper under libfaketime: mtimes jump with the offset file', async () => {
    const file = await startWithOffsetFile('apache', (f) => faketimeEnvironment(f, lib!));
    writeClockOffset(file, 7_200_000);
    let skew = 0;
    for (let i = 0; i < 50 && skew < 7_000_000; i++) {
      skew = await skewSeenByServer(cluster!.connectString, `/ahead-${i}`);
      if (skew < 7_000_000) await new Promise((r) => setTimeout(r, 200));
    }
    expect(skew).toBeGreaterThan(7_000_000);
    writeClockOffset(file, 0);
    for (let i = 0; i < 50 && skew > 60_000; i++) {
      skew = await skewSeenByServer(cluster!.connectString, `/back-${i}`);
      if (skew > 60_000) await new Promise((r) => setTimeout(r, 200));
    }
    expect(skew).toBeLessThan(60_000);
  });
});
