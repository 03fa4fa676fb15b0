import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../common/logger.js';
import { startCluster } from '../../launchers/cluster-launcher.js';
import type { StartedTarget } from '../target-spec.js';

/**
 * The broker settings scenarios assume, as the local launcher writes them for a one-node
 * Apache cluster (launchers.md); the reference broker started by the runner gets the same.
 */
export const conformanceBrokerProperties: Readonly<Record<string, string>> = {
  'num.partitions': '1',
  'default.replication.factor': '1',
  'min.insync.replicas': '1',
  'offsets.topic.replication.factor': '1',
  'transaction.state.log.replication.factor': '1',
  'transaction.state.log.min.isr': '1',
  'group.initial.rebalance.delay.ms': '0',
  'auto.create.topics.enable': 'true',
};

/**
 * A one-node Apache Kafka (KRaft, combined mode) for the suite, through the local launcher;
 * its directory lives under the system temp dir and is removed when it stops.
 */
export async function startApacheKafka(version: string | undefined, log: Logger): Promise<StartedTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'kzbench-conformance-kafka-'));
  try {
    const cluster = await startCluster({ system: 'kafka', impl: 'apache', version, nodes: 1, dir, log });
    return {
      target: cluster.target,
      configured: true,
      stop: async () => {
        await cluster.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
