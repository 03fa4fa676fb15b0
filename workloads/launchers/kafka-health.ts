import { Kafka, logLevel } from 'kafkajs';

export interface KafkaClusterView {
  brokerIds: number[];
  controllerId: number | null;
}

/**
 * What a Metadata request to `brokers` reports: the live brokers and the controller.
 * Null when no broker answers yet.
 */
export async function describeKafkaCluster(brokers: string[], timeoutMs = 5000): Promise<KafkaClusterView | null> {
  const kafka = new Kafka({
    clientId: 'kzbench-launcher',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return { brokerIds: cluster.brokers.map((b) => b.nodeId).sort((a, b) => a - b), controllerId: cluster.controller };
  } catch {
    return null;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** Healthy: Metadata lists every expected broker and names a controller. */
export function kafkaClusterHealthy(view: KafkaClusterView | null, expectedIds: number[]): boolean {
  if (!view || view.controllerId === null || view.controllerId < 0) return false;
  return expectedIds.every((id) => view.brokerIds.includes(id));
}
