import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKafkaQueue } from '../../../../checkers/kafka/kafka-queue-checker.js';
import { LocalCluster } from '../../../../workloads/launchers/local-cluster.js';
import { runVerifiableQueue } from '../../../../workloads/kafka/verifiable-queue.js';
import { cliBuilt } from './child-broker.js';

describe.skipIf(!cliBuilt)('verifiable producer/consumer pair against the reference broker killed once (run npm run build first)', () => {
  it('every acknowledged record is consumed; the kafka-queue checker finds no anomaly', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kz-vq-'));
    const cluster = await LocalCluster.start({ system: 'kafka', impl: 'reference', nodes: 1, dir });
    let kill: Promise<void> | undefined;
    try {
      const result = await runVerifiableQueue({
        bootstrap: cluster.connectString,
        records: 10_000,
        partitions: 4,
        producerBatch: 100,
        consumers: 2,
        prefix: 'vq',
        timeoutMs: 240_000,
        onProgress: ({ acknowledged }) => {
          if (!kill && acknowledged >= 4000) {
            const node = cluster.nodeIds[0]!;
            kill = cluster.killNode(node).then(() => cluster.startNode(node));
          }
        },
      });
      await kill;
      expect(kill).toBeDefined();
      expect(result.acknowledged + result.indeterminate).toBe(10_000);
      expect(result.consumed).toBeGreaterThanOrEqual(result.acknowledged);
      const check = checkKafkaQueue(result.history);
      expect(check.anomalyTypes).toEqual([]);
      expect(check.valid).toBe(true);
    } finally {
      await kill?.catch(() => {});
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
