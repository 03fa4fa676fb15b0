import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveNotReady } from '../integration/launchers/reference-probe.js';
import { clusterDown, clusterUp, forceDown } from './cluster-support.js';

/**
 * `kzbench cluster up <system> --impl reference` end to end: our servers started from the build
 * on the zoo.cfg / server.properties the launcher writes. Skips while `kzbench serve` does not
 * serve yet (see reference-probe.ts).
 */
for (const system of ['zookeeper', 'kafka'] as const) {
  const notReady = serveNotReady(system);
  if (notReady) console.warn(`skipping cluster up ${system} --impl reference until kzbench serve ${system} runs: ${notReady}`);
  describe.skipIf(notReady !== null)(`kzbench cluster up/down ${system} --impl reference`, () => {
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), `kz-e2e-ref-${system}-`));
    });
    afterAll(async () => {
      await forceDown(join(root, 'c'));
      await rm(root, { recursive: true, force: true });
    });

    it('starts kzbench serve with the generated config, healthy, then down leaves nothing', { timeout: 300_000 }, async () => {
      const dir = join(root, 'c');
      const target = await clusterUp([system, '--impl', 'reference', '--nodes', '1'], dir);
      expect(target).toMatchObject({ system, impl: 'reference', launcher: 'local' });
      const config = join(dir, 'node1', system === 'zookeeper' ? 'zoo.cfg' : 'server.properties');
      expect(await readFile(config, 'utf8')).toContain(system === 'zookeeper' ? `clientPort=${target.nodes[0]!.port}` : `PLAINTEXT://127.0.0.1:${target.nodes[0]!.port}`);
      await clusterDown(dir, target);
    });
  });
}
