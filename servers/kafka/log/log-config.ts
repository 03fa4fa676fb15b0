import { InvalidConfigError } from '../config/invalid-config-error.js';
import { topicConfigDefinitions } from '../config/topic-config-definitions.js';
import { brokerDefaultOfTopicConfig, canonicalTopicConfigValue } from '../config/topic-config-values.js';

/**
 * Per-topic log settings under their topic-level names (`segment.bytes`, ...), resolved
 * from topic overrides over broker defaults (`log.segment.bytes`, ...), as Apache's
 * LogConfig does. Values are numbers in bytes or milliseconds; -1 means "no limit".
 */
export interface LogConfig {
  segmentBytes: number;
  segmentMs: number;
  retentionMs: number;
  retentionBytes: number;
  cleanupPolicy: { delete: boolean; compact: boolean };
  deleteRetentionMs: number;
  minCleanableDirtyRatio: number;
  minCompactionLagMs: number;
  flushMessages: number;
  flushMs: number;
  indexIntervalBytes: number;
  maxMessageBytes: number;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  minInsyncReplicas: number;
  compressionType: string;
  /** compression.gzip.level / compression.lz4.level / compression.zstd.level: used when the broker recompresses. */
  compressionGzipLevel: number;
  compressionLz4Level: number;
  compressionZstdLevel: number;
}

/** Apache 3.9 defaults (`LogConfig`, `ServerLogConfigs`). */
export const defaultLogConfig: LogConfig = {
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  cleanupPolicy: { delete: true, compact: false },
  deleteRetentionMs: 24 * 60 * 60 * 1000,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  flushMessages: Number.MAX_SAFE_INTEGER,
  flushMs: Number.MAX_SAFE_INTEGER,
  indexIntervalBytes: 4096,
  maxMessageBytes: 1048588,
  messageTimestampType: 'CreateTime',
  minInsyncReplicas: 1,
  compressionType: 'producer',
  compressionGzipLevel: -1,
  compressionLz4Level: 9,
  compressionZstdLevel: 3,
};

/** Turns a canonical topic config value into the LogConfig field's type. */
type Decoder = (value: string) => unknown;
const asNumber: Decoder = (v) => Number(v);
const asText: Decoder = (v) => v;
const asCleanupPolicy: Decoder = (v) => {
  const parts = v.split(',');
  return { delete: parts.includes('delete'), compact: parts.includes('compact') };
};

/** The topic configs that shape the log, and the LogConfig field each one sets. */
export const topicConfigKeys: Record<string, { field: keyof LogConfig; decode: Decoder }> = {
  'segment.bytes': { field: 'segmentBytes', decode: asNumber },
  'segment.ms': { field: 'segmentMs', decode: asNumber },
  'retention.ms': { field: 'retentionMs', decode: asNumber },
  'retention.bytes': { field: 'retentionBytes', decode: asNumber },
  'cleanup.policy': { field: 'cleanupPolicy', decode: asCleanupPolicy },
  'delete.retention.ms': { field: 'deleteRetentionMs', decode: asNumber },
  'min.cleanable.dirty.ratio': { field: 'minCleanableDirtyRatio', decode: asNumber },
  'min.compaction.lag.ms': { field: 'minCompactionLagMs', decode: asNumber },
  'flush.messages': { field: 'flushMessages', decode: asNumber },
  'flush.ms': { field: 'flushMs', decode: asNumber },
  'index.interval.bytes': { field: 'indexIntervalBytes', decode: asNumber },
  'max.message.bytes': { field: 'maxMessageBytes', decode: asNumber },
  'message.timestamp.type': { field: 'messageTimestampType', decode: asText },
  'min.insync.replicas': { field: 'minInsyncReplicas', decode: asNumber },
  'compression.type': { field: 'compressionType', decode: asText },
  'compression.gzip.level': { field: 'compressionGzipLevel', decode: asNumber },
  'compression.lz4.level': { field: 'compressionLz4Level', decode: asNumber },
  'compression.zstd.level': { field: 'compressionZstdLevel', decode: asNumber },
};

export { InvalidConfigError };

/**
 * Applies `name=value` topic configs over `base`, each parsed and checked by its definition;
 * throws InvalidConfigError naming the bad key. Names that do not shape the log are skipped
 * (validateTopicConfigs refuses unknown ones before they are stored).
 */
export function applyTopicConfigs(base: LogConfig, configs: Record<string, string>): LogConfig {
  const out: LogConfig = { ...base, cleanupPolicy: { ...base.cleanupPolicy } };
  for (const [key, raw] of Object.entries(configs)) {
    const spec = topicConfigKeys[key];
    const def = topicConfigDefinitions.get(key);
    if (!spec || !def) continue;
    (out as unknown as Record<string, unknown>)[spec.field] = spec.decode(canonicalTopicConfigValue(def, raw));
  }
  return out;
}

/**
 * The broker-level defaults as a LogConfig, from server.properties. Every topic default set
 * there is checked, also those that do not shape the log, so a bad one fails at startup
 * rather than in DescribeConfigs.
 */
export function logConfigFromBrokerProperties(props: Record<string, string>): LogConfig {
  const topicLevel: Record<string, string> = {};
  for (const def of topicConfigDefinitions.values()) {
    if (def.brokerSynonyms.some((s) => props[s] !== undefined)) topicLevel[def.name] = brokerDefaultOfTopicConfig(def, props);
  }
  return applyTopicConfigs(defaultLogConfig, topicLevel);
}
