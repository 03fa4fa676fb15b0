import type { MessageOf } from '../../../protocols/kafka/schema/message-schema.js';
import { fromVersionPrefixedBytes, readVersionPrefix, toVersionPrefixedBytes } from '../coordinator/version-prefixed.js';
import type { ClassicGroup, CommittedOffset } from './classic-group.js';
import { GroupMetadataKey, GroupMetadataValue, OffsetCommitKey, OffsetCommitValue } from './group-record-schemas.js';

/** Apache 3.9 writes offset commit keys at version 1 and values at 3 (1 when an expiry is set), group metadata at 3. */
const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;
const GROUP_VALUE_VERSION = 3;

export function offsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return toVersionPrefixedBytes(OffsetCommitKey, OFFSET_KEY_VERSION, { group, topic, partition });
}

export function offsetCommitValue(c: Omit<CommittedOffset, 'batchOffset'>): Buffer {
  const version = c.expireTimestamp !== undefined ? 1 : 3;
  return toVersionPrefixedBytes(OffsetCommitValue, version, {
    offset: BigInt(c.offset),
    leaderEpoch: version >= 3 ? c.leaderEpoch : -1,
    metadata: c.metadata,
    commitTimestamp: BigInt(c.commitTimestamp),
    expireTimestamp: BigInt(c.expireTimestamp ?? -1),
  });
}

export function groupMetadataKey(group: string): Buffer {
  return toVersionPrefixedBytes(GroupMetadataKey, GROUP_KEY_VERSION, { group });
}

/** The group's generation, protocol, leader and members with `assignment`, as SyncGroup (or emptiness) fixed them. */
export function groupMetadataValue(group: ClassicGroup, assignment: Map<string, Buffer>): Buffer {
  return toVersionPrefixedBytes(GroupMetadataValue, GROUP_VALUE_VERSION, {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol: group.protocolName ?? null,
    leader: group.leaderId ?? null,
    currentStateTimestamp: BigInt(group.stateTimestamp),
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs,
      sessionTimeout: m.sessionTimeoutMs,
      subscription: m.metadata(group.protocolName!),
      assignment: assignment.get(m.memberId) ?? Buffer.alloc(0),
    })),
  });
}

export type GroupRecordKey = { kind: 'offset'; group: string; topic: string; partition: number } | { kind: 'group'; group: string } | { kind: 'unknown'; version: number };

export function readGroupRecordKey(key: Buffer): GroupRecordKey {
  const version = readVersionPrefix(key);
  if (version === 0 || version === 1) {
    const k = fromVersionPrefixedBytes(OffsetCommitKey, key);
    return { kind: 'offset', group: k.group, topic: k.topic, partition: k.partition };
  }
  if (version === GROUP_KEY_VERSION) return { kind: 'group', group: fromVersionPrefixedBytes(GroupMetadataKey, key).group };
  return { kind: 'unknown', version };
}

export function readOffsetCommitValue(value: Buffer, batchOffset: number): CommittedOffset {
  const v = fromVersionPrefixedBytes(OffsetCommitValue, value);
  return {
    offset: Number(v.offset),
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: Number(v.commitTimestamp),
    expireTimestamp: v.expireTimestamp === -1n ? undefined : Number(v.expireTimestamp),
    batchOffset,
  };
}

export function readGroupMetadataValue(value: Buffer): { version: number; value: MessageOf<typeof GroupMetadataValue> } {
  return { version: readVersionPrefix(value), value: fromVersionPrefixedBytes(GroupMetadataValue, value) };
}
