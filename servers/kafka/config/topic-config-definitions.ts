import { type ConfigValidator, atLeast, between, gzipLevel, listOf, oneOf, releaseVersion, throttledReplicas } from './config-validators.js';
import type { ConfigTypeName } from './config-value-types.js';

/**
 * One topic-level config as Apache Kafka 3.9 defines it (LogConfig): its type, built-in
 * default (as DescribeConfigs renders it), a one-line description, the broker properties that
 * supply its default (Apache's topic config synonyms: the main one first, then the ones it
 * falls back to) and the check a value must pass.
 */
export interface TopicConfigDefinition {
  name: string;
  type: ConfigTypeName;
  defaultValue: string;
  doc: string;
  brokerSynonyms: string[];
  validate?: ConfigValidator;
}

const LONG_MAX = '9223372036854775807';
const COMPRESSION_TYPES = ['uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer'];

const definitions: TopicConfigDefinition[] = [
  { name: 'cleanup.policy', type: 'list', defaultValue: 'delete', brokerSynonyms: ['log.cleanup.policy'], validate: listOf('compact', 'delete'), doc: 'What happens to old log segments: "delete" removes them by time or size, "compact" keeps the latest record per key; both may be given.' },
  { name: 'compression.type', type: 'string', defaultValue: 'producer', brokerSynonyms: ['compression.type'], validate: oneOf(...COMPRESSION_TYPES), doc: 'Codec the log stores batches in; "producer" keeps what the producer sent, "uncompressed" stores them uncompressed.' },
  { name: 'compression.gzip.level', type: 'int', defaultValue: '-1', brokerSynonyms: ['compression.gzip.level'], validate: gzipLevel, doc: 'gzip level used when compression.type is gzip (-1 for the codec default).' },
  { name: 'compression.lz4.level', type: 'int', defaultValue: '9', brokerSynonyms: ['compression.lz4.level'], validate: between(1, 17), doc: 'lz4 level used when compression.type is lz4.' },
  { name: 'compression.zstd.level', type: 'int', defaultValue: '3', brokerSynonyms: ['compression.zstd.level'], validate: between(-131072, 22), doc: 'zstd level used when compression.type is zstd.' },
  { name: 'delete.retention.ms', type: 'long', defaultValue: '86400000', brokerSynonyms: ['log.cleaner.delete.retention.ms'], validate: atLeast(0), doc: 'How long tombstones (delete markers) stay in a compacted log, so consumers reading from the start still see the delete.' },
  { name: 'file.delete.delay.ms', type: 'long', defaultValue: '60000', brokerSynonyms: ['log.segment.delete.delay.ms'], validate: atLeast(0), doc: 'Wait between a segment leaving the log and its files being removed from disk.' },
  { name: 'flush.messages', type: 'long', defaultValue: LONG_MAX, brokerSynonyms: ['log.flush.interval.messages'], validate: atLeast(1), doc: 'Force an fsync of the log after this many records (replication is the usual durability mechanism).' },
  { name: 'flush.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonyms: ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'], validate: atLeast(0), doc: 'Force an fsync of the log when its oldest unflushed record is this old.' },
  { name: 'follower.replication.throttled.replicas', type: 'list', defaultValue: '', brokerSynonyms: [], validate: throttledReplicas, doc: 'Replicas whose follower-side replication is throttled: partitionId:brokerId pairs, or * for all.' },
  { name: 'index.interval.bytes', type: 'int', defaultValue: '4096', brokerSynonyms: ['log.index.interval.bytes'], validate: atLeast(0), doc: 'Bytes appended between two offset index entries; smaller means more precise seeks and bigger indexes.' },
  { name: 'leader.replication.throttled.replicas', type: 'list', defaultValue: '', brokerSynonyms: [], validate: throttledReplicas, doc: 'Replicas whose leader-side replication is throttled: partitionId:brokerId pairs, or * for all.' },
  { name: 'local.retention.bytes', type: 'long', defaultValue: '-2', brokerSynonyms: ['log.local.retention.bytes'], validate: atLeast(-2), doc: 'With tiered storage, bytes kept on local disk per partition (-2: the value of retention.bytes).' },
  { name: 'local.retention.ms', type: 'long', defaultValue: '-2', brokerSynonyms: ['log.local.retention.ms'], validate: atLeast(-2), doc: 'With tiered storage, how long segments stay on local disk (-2: the value of retention.ms).' },
  { name: 'max.compaction.lag.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonyms: ['log.cleaner.max.compaction.lag.ms'], validate: atLeast(1), doc: 'Longest a record may stay uncompacted in a compacted log.' },
  { name: 'max.message.bytes', type: 'int', defaultValue: '1048588', brokerSynonyms: ['message.max.bytes'], validate: atLeast(0), doc: 'Largest record batch the topic accepts, after compression.' },
  { name: 'message.downconversion.enable', type: 'boolean', defaultValue: 'true', brokerSynonyms: ['log.message.downconversion.enable'], doc: 'Whether the broker converts batches to an older format for fetch requests of old clients.' },
  { name: 'message.format.version', type: 'string', defaultValue: '3.0-IV1', brokerSynonyms: ['log.message.format.version'], validate: releaseVersion, doc: 'Deprecated record format version; ignored from inter-broker protocol 3.0 on.' },
  { name: 'message.timestamp.after.max.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonyms: ['log.message.timestamp.after.max.ms'], validate: atLeast(0), doc: 'With CreateTime, how far in the future of the broker clock a record timestamp may be.' },
  { name: 'message.timestamp.before.max.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonyms: ['log.message.timestamp.before.max.ms'], validate: atLeast(0), doc: 'With CreateTime, how far in the past of the broker clock a record timestamp may be.' },
  { name: 'message.timestamp.difference.max.ms', type: 'long', defaultValue: LONG_MAX, brokerSynonyms: ['log.message.timestamp.difference.max.ms'], validate: atLeast(0), doc: 'Deprecated: largest allowed difference between a record timestamp and the broker clock.' },
  { name: 'message.timestamp.type', type: 'string', defaultValue: 'CreateTime', brokerSynonyms: ['log.message.timestamp.type'], validate: oneOf('CreateTime', 'LogAppendTime'), doc: 'Whether record timestamps are the producer\'s (CreateTime) or the broker\'s append time (LogAppendTime).' },
  { name: 'min.cleanable.dirty.ratio', type: 'double', defaultValue: '0.5', brokerSynonyms: ['log.cleaner.min.cleanable.ratio'], validate: between(0, 1), doc: 'Share of uncompacted bytes in a compacted log that makes it eligible for cleaning.' },
  { name: 'min.compaction.lag.ms', type: 'long', defaultValue: '0', brokerSynonyms: ['log.cleaner.min.compaction.lag.ms'], validate: atLeast(0), doc: 'Shortest time a record stays uncompacted in a compacted log.' },
  { name: 'min.insync.replicas', type: 'int', defaultValue: '1', brokerSynonyms: ['min.insync.replicas'], validate: atLeast(1), doc: 'With acks=all, how many in-sync replicas must have a write before it succeeds.' },
  { name: 'preallocate', type: 'boolean', defaultValue: 'false', brokerSynonyms: ['log.preallocate'], doc: 'Whether a new segment file is preallocated on disk.' },
  { name: 'remote.log.copy.disable', type: 'boolean', defaultValue: 'false', brokerSynonyms: [], doc: 'With tiered storage, stop copying segments to remote storage while keeping what is there readable.' },
  { name: 'remote.log.delete.on.disable', type: 'boolean', defaultValue: 'false', brokerSynonyms: [], doc: 'With tiered storage, whether turning remote storage off deletes the remote data.' },
  { name: 'remote.storage.enable', type: 'boolean', defaultValue: 'false', brokerSynonyms: [], doc: 'Whether the topic uses tiered storage (the broker must have it enabled).' },
  { name: 'retention.bytes', type: 'long', defaultValue: '-1', brokerSynonyms: ['log.retention.bytes'], doc: 'Largest size a partition may grow to before old segments are deleted (delete policy); -1 for no limit.' },
  { name: 'retention.ms', type: 'long', defaultValue: '604800000', brokerSynonyms: ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'], validate: atLeast(-1), doc: 'How long records are kept before their segment is deleted (delete policy); -1 for no limit.' },
  { name: 'segment.bytes', type: 'int', defaultValue: '1073741824', brokerSynonyms: ['log.segment.bytes'], validate: atLeast(14), doc: 'Size at which the active segment is rolled into a new one.' },
  { name: 'segment.index.bytes', type: 'int', defaultValue: '10485760', brokerSynonyms: ['log.index.size.max.bytes'], validate: atLeast(4), doc: 'Size preallocated for each segment\'s offset index.' },
  { name: 'segment.jitter.ms', type: 'long', defaultValue: '0', brokerSynonyms: ['log.roll.jitter.ms', 'log.roll.jitter.hours'], validate: atLeast(0), doc: 'Random amount subtracted from segment.ms so that segments do not all roll at once.' },
  { name: 'segment.ms', type: 'long', defaultValue: '604800000', brokerSynonyms: ['log.roll.ms', 'log.roll.hours'], validate: atLeast(1), doc: 'Age at which the active segment is rolled even if it is not full, so retention and compaction can act on it.' },
  { name: 'unclean.leader.election.enable', type: 'boolean', defaultValue: 'false', brokerSynonyms: ['unclean.leader.election.enable'], doc: 'Whether a replica outside the ISR may become leader as a last resort, at the cost of losing data.' },
];

/** Every topic config Apache Kafka 3.9 knows, by name, in name order (as CreateTopics lists them). */
export const topicConfigDefinitions: ReadonlyMap<string, TopicConfigDefinition> = new Map(
  definitions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((d) => [d.name, d]),
);
