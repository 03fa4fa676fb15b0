import { ByteReader } from '../../../protocols/kafka/byte-reader.js';
import { codecFor, encodeMessage } from '../../../protocols/kafka/schema/compile-codec.js';
import type { MessageInput, MessageSpec } from '../../../protocols/kafka/schema/message-schema.js';
import type { KeyValue } from '../coordinator/coordinator-log.js';
import { fromVersionPrefixedBytes, toVersionPrefixedBytes } from '../coordinator/version-prefixed.js';
import type { ConsumerGroupMember } from './consumer-group.js';
import {
  ConsumerGroupCurrentMemberAssignmentValue,
  ConsumerGroupGroupKey,
  ConsumerGroupMemberKey,
  ConsumerGroupMemberMetadataValue,
  ConsumerGroupMetadataValue,
  ConsumerGroupRecordType,
  ConsumerGroupTargetAssignmentMemberValue,
  ConsumerGroupTargetAssignmentMetadataValue,
} from './consumer-group-record-schemas.js';
import { type Assignment, assignmentOf, assignmentToList } from './topic-partition-assignment.js';

/** A coordinator key: the record type as an int16, then the key struct at version 0. */
function typedKey<M extends MessageSpec>(type: number, spec: M, value: MessageInput<M>): Buffer {
  const body = encodeMessage(spec, 0, value);
  const out = Buffer.allocUnsafe(2 + body.length);
  out.writeInt16BE(type, 0);
  body.copy(out, 2);
  return out;
}

const groupKey = (type: number, groupId: string) => typedKey(type, ConsumerGroupGroupKey, { groupId });
const memberKey = (type: number, groupId: string, memberId: string) => typedKey(type, ConsumerGroupMemberKey, { groupId, memberId });

export function groupEpochRecord(groupId: string, epoch: number): KeyValue {
  return { key: groupKey(ConsumerGroupRecordType.groupMetadata, groupId), value: toVersionPrefixedBytes(ConsumerGroupMetadataValue, 0, { epoch }) };
}

export function memberSubscriptionRecord(groupId: string, m: ConsumerGroupMember): KeyValue {
  const s = m.subscription;
  return {
    key: memberKey(ConsumerGroupRecordType.memberMetadata, groupId, m.memberId),
    value: toVersionPrefixedBytes(ConsumerGroupMemberMetadataValue, 0, {
      instanceId: s.instanceId,
      rackId: s.rackId,
      clientId: s.clientId,
      clientHost: s.clientHost,
      subscribedTopicNames: s.subscribedTopicNames,
      subscribedTopicRegex: null,
      rebalanceTimeoutMs: s.rebalanceTimeoutMs,
      serverAssignor: s.serverAssignor,
    }),
  };
}

export function targetAssignmentEpochRecord(groupId: string, assignmentEpoch: number): KeyValue {
  return { key: groupKey(ConsumerGroupRecordType.targetAssignmentMetadata, groupId), value: toVersionPrefixedBytes(ConsumerGroupTargetAssignmentMetadataValue, 0, { assignmentEpoch }) };
}

export function targetAssignmentMemberRecord(groupId: string, memberId: string, target: Assignment): KeyValue {
  return {
    key: memberKey(ConsumerGroupRecordType.targetAssignmentMember, groupId, memberId),
    value: toVersionPrefixedBytes(ConsumerGroupTargetAssignmentMemberValue, 0, { topicPartitions: assignmentToList(target) }),
  };
}

export function currentAssignmentRecord(groupId: string, m: ConsumerGroupMember): KeyValue {
  const a = m.assignment;
  const withEpochs = (x: Assignment) =>
    assignmentToList(x).map((tp) => ({ ...tp, assignmentEpochs: tp.partitions.map((p) => m.partitionEpochs.get(`${tp.topicId}:${p}`) ?? a.memberEpoch) }));
  return {
    key: memberKey(ConsumerGroupRecordType.currentMemberAssignment, groupId, m.memberId),
    value: toVersionPrefixedBytes(ConsumerGroupCurrentMemberAssignmentValue, 0, {
      memberEpoch: a.memberEpoch,
      previousMemberEpoch: a.previousMemberEpoch,
      state: a.state,
      assignedPartitions: withEpochs(a.assignedPartitions),
      partitionsPendingRevocation: withEpochs(a.partitionsPendingRevocation),
    }),
  };
}

/** Tombstones for everything a removed member had (Apache writes them in this order). */
export function memberTombstones(groupId: string, memberId: string): KeyValue[] {
  return [
    { key: memberKey(ConsumerGroupRecordType.currentMemberAssignment, groupId, memberId), value: null },
    { key: memberKey(ConsumerGroupRecordType.targetAssignmentMember, groupId, memberId), value: null },
    { key: memberKey(ConsumerGroupRecordType.memberMetadata, groupId, memberId), value: null },
  ];
}

/** Tombstones of a deleted group's own records. */
export function groupTombstones(groupId: string): KeyValue[] {
  return [
    { key: groupKey(ConsumerGroupRecordType.targetAssignmentMetadata, groupId), value: null },
    { key: groupKey(ConsumerGroupRecordType.groupMetadata, groupId), value: null },
  ];
}

const CONSUMER_GROUP_RECORD_TYPES = new Set<number>(Object.values(ConsumerGroupRecordType));

export function isConsumerGroupRecordType(type: number): boolean {
  return CONSUMER_GROUP_RECORD_TYPES.has(type);
}

/** A decoded consumer-group record, as the loader replays them. */
export type ConsumerGroupRecord =
  | { type: 'groupEpoch'; groupId: string; epoch: number | null }
  | { type: 'assignmentEpoch'; groupId: string; epoch: number | null }
  | { type: 'member'; groupId: string; memberId: string; value: ReturnType<typeof decodeMemberValue> | null }
  | { type: 'target'; groupId: string; memberId: string; target: Assignment | null }
  | { type: 'current'; groupId: string; memberId: string; value: ReturnType<typeof decodeCurrentValue> | null };

function decodeMemberValue(value: Buffer) {
  return fromVersionPrefixedBytes(ConsumerGroupMemberMetadataValue, value);
}

function decodeCurrentValue(value: Buffer) {
  const v = fromVersionPrefixedBytes(ConsumerGroupCurrentMemberAssignmentValue, value);
  // `topicId:partition` → the epoch it was received at, where the record says (Apache < 4.3 does not).
  const partitionEpochs = new Map<string, number>();
  for (const tp of [...v.assignedPartitions, ...v.partitionsPendingRevocation]) {
    tp.partitions.forEach((p, i) => {
      const epoch = tp.assignmentEpochs?.[i];
      if (epoch !== undefined) partitionEpochs.set(`${tp.topicId}:${p}`, epoch);
    });
  }
  return { ...v, assignedPartitions: assignmentOf(v.assignedPartitions), partitionsPendingRevocation: assignmentOf(v.partitionsPendingRevocation), partitionEpochs };
}

/** Decodes a record whose key type isConsumerGroupRecordType; null values are tombstones. */
export function readConsumerGroupRecord(key: Buffer, value: Buffer | null): ConsumerGroupRecord {
  const type = key.readInt16BE(0);
  const body = new ByteReader(key.subarray(2));
  if (type === ConsumerGroupRecordType.groupMetadata || type === ConsumerGroupRecordType.targetAssignmentMetadata) {
    const { groupId } = codecFor(ConsumerGroupGroupKey, 0).decode(body);
    if (type === ConsumerGroupRecordType.groupMetadata) return { type: 'groupEpoch', groupId, epoch: value ? fromVersionPrefixedBytes(ConsumerGroupMetadataValue, value).epoch : null };
    return { type: 'assignmentEpoch', groupId, epoch: value ? fromVersionPrefixedBytes(ConsumerGroupTargetAssignmentMetadataValue, value).assignmentEpoch : null };
  }
  const { groupId, memberId } = codecFor(ConsumerGroupMemberKey, 0).decode(body);
  if (type === ConsumerGroupRecordType.memberMetadata) return { type: 'member', groupId, memberId, value: value ? decodeMemberValue(value) : null };
  if (type === ConsumerGroupRecordType.targetAssignmentMember) {
    return { type: 'target', groupId, memberId, target: value ? assignmentOf(fromVersionPrefixedBytes(ConsumerGroupTargetAssignmentMemberValue, value).topicPartitions) : null };
  }
  return { type: 'current', groupId, memberId, value: value ? decodeCurrentValue(value) : null };
}
