import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { KafkaCodecError } from './codec-error.js';
import { codecFor } from './schema/compile-codec.js';
import { defineMessage } from './schema/message-schema.js';

/**
 * The byte payloads of the classic "consumer" protocol type, as the Java consumer writes
 * them (Apache `ConsumerProtocolSubscription` / `ConsumerProtocolAssignment`): JoinGroup
 * carries a subscription as each protocol's metadata, SyncGroup an assignment per member.
 * Each payload is an int16 version followed by the struct at that version. Brokers treat
 * both as opaque, except that Apache reads a subscription's topics to know which topics a
 * group consumes (OffsetDelete, DescribeGroups). Used by the conformance scenarios and by
 * kzbench's group member (workloads/clients/kafka/group-member.ts).
 */

/** Apache `ConsumerProtocolSubscription.json` (v0-3; none flexible). */
export const ConsumerProtocolSubscription = defineMessage({
  name: 'ConsumerProtocolSubscription',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    { name: 'topics', type: '[]string', versions: '0+' },
    { name: 'userData', type: 'bytes', versions: '0+', nullableVersions: '0+', default: null, ignorable: true },
    { name: 'ownedPartitions', type: '[]struct', versions: '1+', ignorable: true, fields: [
      { name: 'topic', type: 'string', versions: '1+' },
      { name: 'partitions', type: '[]int32', versions: '1+' },
    ] },
    { name: 'generationId', type: 'int32', versions: '2+', default: -1, ignorable: true },
    { name: 'rackId', type: 'string', versions: '3+', nullableVersions: '3+', default: null, ignorable: true },
  ],
});

/** Apache `ConsumerProtocolAssignment.json` (v0-3; none flexible; v1-3 are v0's layout). */
export const ConsumerProtocolAssignment = defineMessage({
  name: 'ConsumerProtocolAssignment',
  type: 'data',
  validVersions: '0-3',
  flexibleVersions: 'none',
  fields: [
    { name: 'assignedPartitions', type: '[]struct', versions: '0+', fields: [
      { name: 'topic', type: 'string', versions: '0+' },
      { name: 'partitions', type: '[]int32', versions: '0+' },
    ] },
    { name: 'userData', type: 'bytes', versions: '0+', nullableVersions: '0+', default: null, ignorable: true },
  ],
});

const HIGHEST_VERSION = 3;

/** Subscription v0: int16 version, int32-counted int16 strings (topics), nullable bytes user data. */
export function consumerSubscription(topics: readonly string[], userData: Buffer | null = null): Buffer {
  return withVersion(0, (w) => codecFor(ConsumerProtocolSubscription, 0).encode(w, { topics: [...topics], userData }));
}

/** Assignment v0: int16 version, int32-counted (topic, int32-counted partitions), nullable bytes user data. */
export function consumerAssignment(topics: ReadonlyArray<{ topic: string; partitions: readonly number[] }>, userData: Buffer | null = null): Buffer {
  return withVersion(0, (w) =>
    codecFor(ConsumerProtocolAssignment, 0).encode(w, { assignedPartitions: topics.map((t) => ({ topic: t.topic, partitions: [...t.partitions] })), userData }),
  );
}

/**
 * A member's subscription from its JoinGroup metadata. A version newer than ours is read as
 * our newest, ignoring what follows, as Apache's `ConsumerProtocol` does (fields are only
 * ever appended). Throws KafkaCodecError on bytes that do not parse.
 */
export function decodeConsumerSubscription(bytes: Buffer): { version: number; topics: string[]; userData: Buffer | null } {
  const { version, reader } = versioned(bytes, 'subscription');
  const s = codecFor(ConsumerProtocolSubscription, Math.min(version, HIGHEST_VERSION)).decode(reader);
  return { version, topics: s.topics, userData: s.userData };
}

/**
 * A member's assignment from SyncGroup. An empty payload (a member the leader gave nothing,
 * or a group that lost its leader's assignment) is an empty assignment, as in the Java consumer.
 */
export function decodeConsumerAssignment(bytes: Buffer): { version: number; partitions: Array<{ topic: string; partitions: number[] }>; userData: Buffer | null } {
  if (bytes.length === 0) return { version: 0, partitions: [], userData: null };
  const { version, reader } = versioned(bytes, 'assignment');
  const a = codecFor(ConsumerProtocolAssignment, Math.min(version, HIGHEST_VERSION)).decode(reader);
  return { version, partitions: a.assignedPartitions, userData: a.userData };
}

function versioned(bytes: Buffer, what: string): { version: number; reader: ByteReader } {
  const reader = new ByteReader(bytes);
  const version = reader.int16();
  if (version < 0) throw new KafkaCodecError(`consumer protocol ${what}: negative version ${version}`);
  return { version, reader };
}

function withVersion(version: number, encode: (w: ByteWriter) => void): Buffer {
  const w = new ByteWriter();
  w.int16(version);
  encode(w);
  return w.toBuffer();
}
