import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalCluster } from '../../../workloads/launchers/local-cluster.js';
import { processExists } from '../../../workloads/launchers/process-liveness.js';
import { serveNotReady } from './reference-probe.js';

// One node each: the reference ZooKeeper refuses a zoo.cfg with several voting servers (no ZAB
// replication), and the reference Kafka is a single broker.
for (const [system, nodes] of [
  ['zookeeper', 1],
  ['kafka', 1],
] as const) {
  const notReady = serveNotReady(system);
  if (notReady) console.warn(`skipping the reference ${system} launcher test until kzbench serve ${system} runs: ${notReady}`);
  describe.skipIf(notReady !== null)(`local launcher: reference ${system} (kzbench serve)`, () => {
    it(`starts ${nodes} node(s), passes the same health check as Apache, and stops them`, async () => {
      const dir = await mkdtemp(join(tmpdir(), `kz-ref-${system}-`));
      let pids: number[] = [];
      try {
        const cluster = await LocalCluster.start({ system, impl: 'reference', nodes, dir, readyTimeoutMs: 60_000 });
        pids = cluster.nodeIds.map((id) => cluster.pidOf(id)!);
        try {
          expect(cluster.target.impl).toBe('reference');
          expect(await cluster.healthy()).toBe(true);
        } finally {
          await cluster.stop();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      expect(pids.filter(processExists)).toEqual([]);
    });
  });
}
