import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZooKeeperServer, type RunningZooKeeperServer } from '../../../../servers/zookeeper/index.js';
import { cachedZooKeeper39, startApacheZooKeeper, type ApacheZooKeeper } from '../../clients/zookeeper/apache-zookeeper.js';
import { parityTranscript } from './support/parity-scenario.js';

const apache39 = cachedZooKeeper39();
if (apache39 === null) console.warn('skipping the Apache parity test: run `node dist/cli/main.js apache fetch --zookeeper 3.9.5` first');

/**
 * The same scripted session against Apache ZooKeeper 3.9 and the reference server: error
 * codes, zxid steps, Stats, children, ACLs, multi results, watch events (with their 3.9 zxids)
 * and the order frames arrive in must all be equal.
 */
describe.skipIf(apache39 === null)('reference ZooKeeper matches Apache 3.9 reply for reply', () => {
  let apache: ApacheZooKeeper;
  let ours: RunningZooKeeperServer;
  let dir: string;
  beforeAll(async () => {
    apache = await startApacheZooKeeper({ distribution: apache39! });
    dir = mkdtempSync(path.join(tmpdir(), 'kz-zk-parity-'));
    ours = await startZooKeeperServer({ dataDir: dir, tickTime: 2000 });
  });
  afterAll(async () => {
    await apache?.stop();
    await ours?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('produces the same transcript', async () => {
    const expected = await parityTranscript(apache.host, apache.port);
    const actual = await parityTranscript(ours.host, ours.port);
    expect(actual).toEqual(expected);
    expect(actual.length).toBeGreaterThan(80);
  });
});
