import type { Logger } from '../../../common/logger.js';
import { startApacheInTempDir } from '../apache-target.js';
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
 * A one-node Apache Kafka (KRaft, combined mode) for the suite, through the local launcher.
 */
export async function startApacheKafka(version: string | undefined, log: Logger): Promise<StartedTarget> {
  return startApacheInTempDir({ system: 'kafka', version, log }, 'kzbench-conformance-kafka-');
}
