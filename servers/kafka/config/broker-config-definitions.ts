import type { ConfigTypeName } from './config-value-types.js';

/**
 * The broker configs the reference broker knows, as Apache Kafka 3.9 defines them: type,
 * built-in default (null when Apache has none), whether it can be changed at run time
 * (DescribeConfigs reports the others read-only) and a one-line description. These are the
 * settings the reference broker honours, the defaults of topic configs, and what kzbench's
 * launcher writes into server.properties; Apache knows some 300 more.
 */
export interface BrokerConfigDefinition {
  name: string;
  type: ConfigTypeName;
  defaultValue: string | null;
  dynamic: boolean;
  doc: string;
}

const definitions: BrokerConfigDefinition[] = [
  { name: 'log.segment.bytes', type: 'int', defaultValue: '1073741824', dynamic: true, doc: 'Default segment.bytes of topics.' },
  { name: 'log.roll.ms', type: 'long', defaultValue: null, dynamic: true, doc: 'Default segment.ms of topics, in milliseconds (wins over log.roll.hours).' },
  { name: 'log.roll.hours', type: 'int', defaultValue: '168', dynamic: false, doc: 'Default segment.ms of topics, in hours.' },
  { name: 'log.roll.jitter.ms', type: 'long', defaultValue: null, dynamic: true, doc: 'Default segment.jitter.ms of topics, in milliseconds (wins over log.roll.jitter.hours).' },
  { name: 'log.roll.jitter.hours', type: 'int', defaultValue: '0', dynamic: false, doc: 'Default segment.jitter.ms of topics, in hours.' },
  { name: 'log.index.size.max.bytes', type: 'int', defaultValue: '10485760', dynamic: true, doc: 'Default segment.index.bytes of topics.' },
  { name: 'log.flush.interval.messages', type: 'long', defaultValue: '9223372036854775807', dynamic: true, doc: 'Default flush.messages of topics.' },
  { name: 'log.flush.interval.ms', type: 'long', defaultValue: null, dynamic: true, doc: 'Default flush.ms of topics; unset means log.flush.scheduler.interval.ms.' },
  { name: 'log.flush.scheduler.interval.ms', type: 'long', defaultValue: '9223372036854775807', dynamic: false, doc: 'How often the flusher checks whether a log needs an fsync.' },
  { name: 'log.retention.bytes', type: 'long', defaultValue: '-1', dynamic: true, doc: 'Default retention.bytes of topics.' },
  { name: 'log.retention.ms', type: 'long', defaultValue: null, dynamic: true, doc: 'Default retention.ms of topics, in milliseconds (wins over the minutes and hours forms).' },
  { name: 'log.retention.minutes', type: 'int', defaultValue: null, dynamic: false, doc: 'Default retention.ms of topics, in minutes (wins over log.retention.hours).' },
  { name: 'log.retention.hours', type: 'int', defaultValue: '168', dynamic: false, doc: 'Default retention.ms of topics, in hours.' },
  { name: 'message.max.bytes', type: 'int', defaultValue: '1048588', dynamic: true, doc: 'Default max.message.bytes of topics: the largest record batch accepted.' },
  { name: 'log.index.interval.bytes', type: 'int', defaultValue: '4096', dynamic: true, doc: 'Default index.interval.bytes of topics.' },
  { name: 'log.cleaner.delete.retention.ms', type: 'long', defaultValue: '86400000', dynamic: true, doc: 'Default delete.retention.ms of topics.' },
  { name: 'log.cleaner.min.compaction.lag.ms', type: 'long', defaultValue: '0', dynamic: true, doc: 'Default min.compaction.lag.ms of topics.' },
  { name: 'log.cleaner.max.compaction.lag.ms', type: 'long', defaultValue: '9223372036854775807', dynamic: true, doc: 'Default max.compaction.lag.ms of topics.' },
  { name: 'log.segment.delete.delay.ms', type: 'long', defaultValue: '60000', dynamic: true, doc: 'Default file.delete.delay.ms of topics.' },
  { name: 'log.cleaner.min.cleanable.ratio', type: 'double', defaultValue: '0.5', dynamic: true, doc: 'Default min.cleanable.dirty.ratio of topics.' },
  { name: 'log.cleanup.policy', type: 'list', defaultValue: 'delete', dynamic: true, doc: 'Default cleanup.policy of topics.' },
  { name: 'unclean.leader.election.enable', type: 'boolean', defaultValue: 'false', dynamic: true, doc: 'Default unclean.leader.election.enable of topics.' },
  { name: 'min.insync.replicas', type: 'int', defaultValue: '1', dynamic: true, doc: 'Default min.insync.replicas of topics.' },
  { name: 'compression.type', type: 'string', defaultValue: 'producer', dynamic: true, doc: 'Default compression.type of topics.' },
  { name: 'compression.gzip.level', type: 'int', defaultValue: '-1', dynamic: true, doc: 'Default compression.gzip.level of topics.' },
  { name: 'compression.lz4.level', type: 'int', defaultValue: '9', dynamic: true, doc: 'Default compression.lz4.level of topics.' },
  { name: 'compression.zstd.level', type: 'int', defaultValue: '3', dynamic: true, doc: 'Default compression.zstd.level of topics.' },
  { name: 'log.preallocate', type: 'boolean', defaultValue: 'false', dynamic: true, doc: 'Default preallocate of topics.' },
  { name: 'log.message.format.version', type: 'string', defaultValue: '3.0-IV1', dynamic: false, doc: 'Default message.format.version of topics (deprecated).' },
  { name: 'log.message.timestamp.type', type: 'string', defaultValue: 'CreateTime', dynamic: true, doc: 'Default message.timestamp.type of topics.' },
  { name: 'log.message.timestamp.difference.max.ms', type: 'long', defaultValue: '9223372036854775807', dynamic: true, doc: 'Default message.timestamp.difference.max.ms of topics (deprecated).' },
  { name: 'log.message.timestamp.before.max.ms', type: 'long', defaultValue: '9223372036854775807', dynamic: true, doc: 'Default message.timestamp.before.max.ms of topics.' },
  { name: 'log.message.timestamp.after.max.ms', type: 'long', defaultValue: '9223372036854775807', dynamic: true, doc: 'Default message.timestamp.after.max.ms of topics.' },
  { name: 'log.message.downconversion.enable', type: 'boolean', defaultValue: 'true', dynamic: true, doc: 'Default message.downconversion.enable of topics.' },
  { name: 'log.local.retention.ms', type: 'long', defaultValue: '-2', dynamic: true, doc: 'Default local.retention.ms of topics (tiered storage).' },
  { name: 'log.local.retention.bytes', type: 'long', defaultValue: '-2', dynamic: true, doc: 'Default local.retention.bytes of topics (tiered storage).' },
  { name: 'node.id', type: 'int', defaultValue: '-1', dynamic: false, doc: 'This node\'s id in the KRaft cluster.' },
  { name: 'broker.id', type: 'int', defaultValue: '-1', dynamic: false, doc: 'This broker\'s id; in KRaft mode it must equal node.id.' },
  { name: 'process.roles', type: 'list', defaultValue: '', dynamic: false, doc: 'The roles this node plays in KRaft mode: broker, controller or both.' },
  { name: 'controller.quorum.voters', type: 'list', defaultValue: '', dynamic: false, doc: 'The KRaft controller quorum as id@host:port entries.' },
  { name: 'controller.listener.names', type: 'string', defaultValue: null, dynamic: false, doc: 'Listeners the KRaft controller accepts connections on.' },
  { name: 'listeners', type: 'string', defaultValue: 'PLAINTEXT://:9092', dynamic: true, doc: 'Addresses the node listens on, as NAME://host:port.' },
  { name: 'advertised.listeners', type: 'string', defaultValue: null, dynamic: true, doc: 'Addresses clients are told to use, as NAME://host:port; unset means listeners.' },
  { name: 'inter.broker.listener.name', type: 'string', defaultValue: null, dynamic: false, doc: 'Listener brokers use to talk to each other.' },
  { name: 'listener.security.protocol.map', type: 'string', defaultValue: 'SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT', dynamic: true, doc: 'Security protocol of each listener name, as NAME:PROTOCOL pairs.' },
  { name: 'log.dirs', type: 'string', defaultValue: null, dynamic: false, doc: 'Directories partition logs are kept in; unset means log.dir.' },
  { name: 'log.dir', type: 'string', defaultValue: '/tmp/kafka-logs', dynamic: false, doc: 'Directory partition logs are kept in when log.dirs is unset.' },
  { name: 'num.partitions', type: 'int', defaultValue: '1', dynamic: false, doc: 'Partition count of topics created without one (including auto-created topics).' },
  { name: 'default.replication.factor', type: 'int', defaultValue: '1', dynamic: false, doc: 'Replication factor of topics created without one.' },
  { name: 'auto.create.topics.enable', type: 'boolean', defaultValue: 'true', dynamic: false, doc: 'Whether a Metadata request for an unknown topic creates it.' },
  { name: 'delete.topic.enable', type: 'boolean', defaultValue: 'true', dynamic: false, doc: 'Whether topics can be deleted.' },
  { name: 'offsets.topic.num.partitions', type: 'int', defaultValue: '50', dynamic: false, doc: 'Partition count of __consumer_offsets (fixed once it exists).' },
  { name: 'offsets.topic.replication.factor', type: 'short', defaultValue: '3', dynamic: false, doc: 'Replication factor of __consumer_offsets.' },
  { name: 'offsets.topic.segment.bytes', type: 'int', defaultValue: '104857600', dynamic: false, doc: 'segment.bytes of __consumer_offsets.' },
  { name: 'offsets.topic.compression.codec', type: 'int', defaultValue: '0', dynamic: false, doc: 'Codec of committed offset batches (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).' },
  { name: 'group.initial.rebalance.delay.ms', type: 'int', defaultValue: '3000', dynamic: false, doc: 'How long a new group waits for more members before its first rebalance.' },
  { name: 'group.min.session.timeout.ms', type: 'int', defaultValue: '6000', dynamic: false, doc: 'Smallest session timeout a group member may ask for.' },
  { name: 'group.max.session.timeout.ms', type: 'int', defaultValue: '1800000', dynamic: false, doc: 'Largest session timeout a group member may ask for.' },
  { name: 'group.max.size', type: 'int', defaultValue: '2147483647', dynamic: false, doc: 'Largest number of members a classic group may have.' },
  { name: 'offset.metadata.max.bytes', type: 'int', defaultValue: '4096', dynamic: false, doc: 'Largest metadata string an offset commit may carry.' },
  { name: 'transaction.state.log.num.partitions', type: 'int', defaultValue: '50', dynamic: false, doc: 'Partition count of __transaction_state.' },
  { name: 'transaction.state.log.replication.factor', type: 'short', defaultValue: '3', dynamic: false, doc: 'Replication factor of __transaction_state.' },
  { name: 'transaction.state.log.min.isr', type: 'int', defaultValue: '2', dynamic: false, doc: 'min.insync.replicas of __transaction_state.' },
  { name: 'transaction.state.log.segment.bytes', type: 'int', defaultValue: '104857600', dynamic: false, doc: 'segment.bytes of __transaction_state.' },
  { name: 'transaction.max.timeout.ms', type: 'int', defaultValue: '900000', dynamic: false, doc: 'Largest transaction timeout a producer may ask for.' },
  { name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms', type: 'int', defaultValue: '10000', dynamic: false, doc: 'How often transactions past their timeout are looked for and aborted.' },
  { name: 'transaction.partition.verification.enable', type: 'boolean', defaultValue: 'true', dynamic: true, doc: 'Whether transactional writes must go to partitions already added to the transaction.' },
  { name: 'socket.request.max.bytes', type: 'int', defaultValue: '104857600', dynamic: false, doc: 'Largest request the broker reads from a socket.' },
  { name: 'log.retention.check.interval.ms', type: 'long', defaultValue: '300000', dynamic: false, doc: 'How often logs are checked for segments to delete by retention.' },
  { name: 'log.flush.offset.checkpoint.interval.ms', type: 'int', defaultValue: '60000', dynamic: false, doc: 'How often recovery points are written to disk.' },
  { name: 'log.cleaner.backoff.ms', type: 'long', defaultValue: '15000', dynamic: true, doc: 'How long the log cleaner sleeps when there is nothing to clean.' },
  { name: 'log.cleaner.enable', type: 'boolean', defaultValue: 'true', dynamic: false, doc: 'Whether the log cleaner runs (compacted topics need it).' },
  { name: 'producer.id.expiration.ms', type: 'int', defaultValue: '86400000', dynamic: true, doc: 'How long a producer id without writes is remembered for idempotence.' },
];

export const brokerConfigDefinitions: ReadonlyMap<string, BrokerConfigDefinition> = new Map(definitions.map((d) => [d.name, d]));

/**
 * The names that give one broker setting, the preferred first (Apache's
 * DynamicBrokerConfig.brokerConfigSynonyms): time settings in ms, minutes or hours, and
 * log.flush.interval.ms falling back to the flush scheduler's interval.
 */
export function brokerConfigSynonyms(name: string): string[] {
  const groups = [
    ['log.roll.ms', 'log.roll.hours'],
    ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
    ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  ];
  if (name === 'log.flush.interval.ms') return ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'];
  return groups.find((g) => g.includes(name)) ?? [name];
}
