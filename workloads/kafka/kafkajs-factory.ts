import kafkajs from 'kafkajs';

/**
 * kafkajs clients for the exactly-once workloads: quiet, and retrying long enough to ride out
 * a broker that is killed and restarted (a JVM broker takes tens of seconds to come back).
 */
export function kafkajsClient(bootstrap: string, clientId: string): kafkajs.Kafka {
  return new kafkajs.Kafka({
    clientId,
    brokers: bootstrap.split(','),
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    retry: { retries: 12, initialRetryTime: 200, maxRetryTime: 3000 },
  });
}

/** Disconnects without waiting forever for a broker that is gone. */
export async function disconnectQuietly(client: { disconnect(): Promise<void> }, timeoutMs = 5000): Promise<void> {
  await Promise.race([client.disconnect().catch(() => {}), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
}
