/** Kafka's internal topics and the topic configs Apache creates them with. */
export const GROUP_METADATA_TOPIC = '__consumer_offsets';
export const TRANSACTION_STATE_TOPIC = '__transaction_state';

export interface InternalTopicSpec {
  name: string;
  partitions: number;
  configs: Record<string, string>;
}

/** `offsets.topic.*`: compacted, uncompressed by default (GroupCoordinator.offsetsTopicConfigs). */
export function offsetsTopicSpec(partitions: number, segmentBytes: number, compressionType: string): InternalTopicSpec {
  return {
    name: GROUP_METADATA_TOPIC,
    partitions,
    configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(segmentBytes), 'compression.type': compressionType },
  };
}

/** `transaction.state.log.*`: compacted and uncompressed (TransactionStateManager.transactionTopicConfigs). */
export function transactionStateTopicSpec(partitions: number, segmentBytes: number): InternalTopicSpec {
  return {
    name: TRANSACTION_STATE_TOPIC,
    partitions,
    configs: { 'cleanup.policy': 'compact', 'segment.bytes': String(segmentBytes), 'compression.type': 'uncompressed' },
  };
}
