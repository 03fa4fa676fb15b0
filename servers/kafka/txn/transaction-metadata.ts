import { type TransactionState, canTransition } from './transaction-state.js';

/** One transactional id's state at its coordinator (Apache `TransactionMetadata`). */
export interface TransactionMetadata {
  transactionalId: string;
  producerId: number;
  /** The producer id before a rotation (epoch exhaustion), for retried InitProducerId. */
  lastProducerId: number;
  producerEpoch: number;
  /** The epoch before the last bump, so a retried InitProducerId gets the same answer. */
  lastProducerEpoch: number;
  txnTimeoutMs: number;
  state: TransactionState;
  /** `topic\0partition` of every partition in the open transaction. */
  partitions: Set<string>;
  txnStartTimestamp: number;
  txnLastUpdateTimestamp: number;
}

/** What a transition changes; the rest is kept. */
export type TransactionUpdate = Partial<Omit<TransactionMetadata, 'transactionalId' | 'state'>> & { state: TransactionState };

export function transitioned(m: TransactionMetadata, update: TransactionUpdate): TransactionMetadata {
  if (!canTransition(m.state, update.state)) throw new Error(`transaction ${m.transactionalId} cannot go from ${m.state} to ${update.state}`);
  return { ...m, ...update, partitions: new Set(update.partitions ?? m.partitions) };
}

/** Epochs up to Short.MAX-1 are handed out; the last one is kept for fencing. */
export function isEpochExhausted(epoch: number): boolean {
  return epoch >= 0x7fff - 1;
}

export function txnPartitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export function parseTxnPartitionKey(key: string): { topic: string; partition: number } {
  const i = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, i), partition: Number(key.slice(i + 1)) };
}

/** Partitions grouped by topic, in a stable order (DescribeTransactions, the log value). */
export function partitionsByTopic(partitions: Iterable<string>): Array<{ topic: string; partitions: number[] }> {
  const byTopic = new Map<string, number[]>();
  for (const k of partitions) {
    const { topic, partition } = parseTxnPartitionKey(k);
    let list = byTopic.get(topic);
    if (!list) byTopic.set(topic, (list = []));
    list.push(partition);
  }
  return [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps.sort((a, b) => a - b) }));
}
