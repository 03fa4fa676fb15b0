import { KafkaConnectionError } from './client-errors.js';
import type { KafkaClient } from './kafka-client.js';
import type { KafkaConnection } from './kafka-connection.js';
import { bounded } from './group-member-timing.js';

/**
 * Any live broker, for the requests any broker answers (FindCoordinator, Metadata). A group
 * member must find its coordinator again while brokers are down or paused, so a broker that
 * fails or does not answer in time is dropped and the next one is tried, each at most once
 * per call; the next call starts where the last one succeeded.
 */
export class BrokerRotation {
  private next = 0;

  constructor(
    private readonly client: KafkaClient,
    private readonly timeoutMs: number,
  ) {}

  async request<T>(what: string, send: (conn: KafkaConnection) => Promise<T>): Promise<T> {
    const ids = [...this.client.brokers.keys()].sort((a, b) => a - b);
    if (ids.length === 0) throw new KafkaConnectionError(`${what}: no broker known`);
    let lastError: unknown;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[(this.next + i) % ids.length]!;
      let conn: KafkaConnection | undefined;
      try {
        conn = await bounded(this.client.connectionTo(id, 'group-lookup'), this.timeoutMs, `connecting to broker ${id}`);
        const c = conn;
        const result = await bounded(send(c), this.timeoutMs, `${what} to broker ${id}`, () => c.close());
        this.next = (this.next + i) % ids.length;
        return result;
      } catch (err) {
        if (!(err instanceof KafkaConnectionError)) throw err;
        conn?.close();
        lastError = err;
      }
    }
    this.next = (this.next + 1) % ids.length;
    throw new KafkaConnectionError(`${what}: no broker answered (${(lastError as Error).message})`, { cause: lastError });
  }
}
