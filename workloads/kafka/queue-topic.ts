import type { Logger } from '../../common/logger.js';
import { KafkaClient } from '../clients/kafka/kafka-client.js';

export interface QueueTopic {
  replicationFactor: number;
  minInsyncReplicas: number;
}

/**
 * Creates the queue topic the way a durable Kafka deployment would: replicated to every
 * broker up to 3, and with 3 replicas `min.insync.replicas=2`, so acks=all means "on two
 * brokers at least" (Jepsen's and Kafka's own recommendation). Returns once every partition
 * has a leader.
 */
export async function createQueueTopic(o: { bootstrap: string; topic: string; partitions: number; brokers: number; flushMessages?: number; log: Logger }): Promise<QueueTopic> {
  const replicationFactor = Math.min(3, o.brokers);
  const minInsyncReplicas = replicationFactor >= 3 ? 2 : 1;
  const client = await KafkaClient.connect({ bootstrap: o.bootstrap, clientId: 'kzbench-queue-admin', requestTimeoutMs: 30_000 });
  try {
    // flush.messages (when asked): how often the log fsyncs, which decides what a power cut can take.
    await client.createTopic(o.topic, { partitions: o.partitions, replicationFactor, configs: { 'min.insync.replicas': String(minInsyncReplicas), ...(o.flushMessages === undefined ? {} : { 'flush.messages': String(o.flushMessages) }) }, timeoutMs: 60_000 });
  } finally {
    await client.close().catch(() => {});
  }
  o.log.debug(`kafka-queue: topic ${o.topic}, ${o.partitions} partitions, replication ${replicationFactor}, min.insync.replicas ${minInsyncReplicas}`);
  return { replicationFactor, minInsyncReplicas };
}
