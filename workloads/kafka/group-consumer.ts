import { KafkajsGroupConsumer } from './kafkajs-group-consumer.js';
import { MemberGroupConsumer } from './member-group-consumer.js';
import type { PolledRecord } from './queue-client.js';

/** Which client a kafka-queue consumer group member runs on. */
export type GroupClient = 'kzbench' | 'kafkajs';

export interface GroupConsumerOptions {
  bootstrap: string;
  topic: string;
  groupId: string;
  clientId: string;
  readCommitted: boolean;
  /** Records one poll takes per partition at most. */
  maxPerPoll: number;
  /** How long a poll waits for its offset commit: keep it under the op timeout. */
  commitWaitMs: number;
  /** Called on every generation this member joins. */
  onJoin?: () => void;
  /** Diagnostics of the group protocol (kzbench client only). */
  log?: (message: string) => void;
}

/**
 * A consumer group member with Jepsen's `poll` shape (kafka-queue `sub-via=subscribe`):
 * `subscribe` starts joining (polls before the first assignment read nothing), each `poll`
 * returns records of the partitions the group gave this member, in offset order and at most
 * `maxPerPoll` per partition, then commits their offsets fenced by the generation. A commit
 * that fails leaves the records to be read again by the partition's next owner; the poll
 * still read them, so it is recorded ok with them (what the checker allows in subscribe
 * mode). A rebalance drops what no poll took: the next owner starts at the committed offset.
 */
export interface GroupConsumer {
  subscribe(): Promise<void>;
  readonly subscribed: boolean;
  poll(): Promise<Map<number, PolledRecord[]>>;
  close(): Promise<void>;
}

export function groupConsumer(client: GroupClient, o: GroupConsumerOptions): GroupConsumer {
  return client === 'kzbench' ? new MemberGroupConsumer(o) : new KafkajsGroupConsumer(o);
}
