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
};

/** Topic-level config name → LogConfig field, with a parser that validates the value. */
type Parser = (raw: string) => unknown;

const integer =
  (min: number): Parser =>
  (raw) => {
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < min) throw new Error(`expected an integer ≥ ${min}`);
    return n;
  };
const ratio: Parser = (raw) => {
  const n = Number(raw.trim());
  if (!(n >= 0 && n <= 1)) throw new Error('expected a number between 0 and 1');
  return n;
};
const cleanupPolicy: Parser = (raw) => {
  const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => p !== 'delete' && p !== 'compact')) throw new Error('expected delete, compact or both');
  return { delete: parts.includes('delete'), compact: parts.includes('compact') };
};
const timestampType: Parser = (raw) => {
  if (raw !== 'CreateTime' && raw !== 'LogAppendTime') throw new Error('expected CreateTime or LogAppendTime');
  return raw;
};
const compression: Parser = (raw) => {
  const v = raw.trim().toLowerCase();
  if (!['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'].includes(v)) throw new Error('expected producer, uncompressed, gzip, snappy, lz4 or zstd');
  return v;
};

export const topicConfigKeys: Record<string, { field: keyof LogConfig; parse: Parser; format?: (v: unknown) => string }> = {
  'segment.bytes': { field: 'segmentBytes', parse: integer(14) },
  'segment.ms': { field: 'segmentMs', parse: integer(1) },
  'retention.ms': { field: 'retentionMs', parse: integer(-1) },
  'retention.bytes': { field: 'retentionBytes', parse: integer(-1) },
  'cleanup.policy': {
    field: 'cleanupPolicy',
    parse: cleanupPolicy,
    format: (v) => {
      const p = v as LogConfig['cleanupPolicy'];
      return [p.delete && 'delete', p.compact && 'compact'].filter(Boolean).join(',');
    },
  },
  'delete.retention.ms': { field: 'deleteRetentionMs', parse: integer(0) },
  'min.cleanable.dirty.ratio': { field: 'minCleanableDirtyRatio', parse: ratio },
  'min.compaction.lag.ms': { field: 'minCompactionLagMs', parse: integer(0) },
  'flush.messages': { field: 'flushMessages', parse: integer(1) },
  'flush.ms': { field: 'flushMs', parse: integer(0) },
  'index.interval.bytes': { field: 'indexIntervalBytes', parse: integer(0) },
  'max.message.bytes': { field: 'maxMessageBytes', parse: integer(0) },
  'message.timestamp.type': { field: 'messageTimestampType', parse: timestampType },
  'min.insync.replicas': { field: 'minInsyncReplicas', parse: integer(1) },
  'compression.type': { field: 'compressionType', parse: compression },
};

/** Broker property that supplies each topic config's default (Apache's synonyms, first wins). */
export const brokerSynonyms: Record<string, string[]> = {
  'segment.bytes': ['log.segment.bytes'],
  'segment.ms': ['log.roll.ms', 'log.roll.hours'],
  'retention.ms': ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  'retention.bytes': ['log.retention.bytes'],
  'cleanup.policy': ['log.cleanup.policy'],
  'delete.retention.ms': ['log.cleaner.delete.retention.ms'],
  'min.cleanable.dirty.ratio': ['log.cleaner.min.cleanable.ratio'],
  'min.compaction.lag.ms': ['log.cleaner.min.compaction.lag.ms'],
  'flush.messages': ['log.flush.interval.messages'],
  'flush.ms': ['log.flush.interval.ms'],
  'index.interval.bytes': ['log.index.interval.bytes'],
  'max.message.bytes': ['message.max.bytes'],
  'message.timestamp.type': ['log.message.timestamp.type'],
  'min.insync.replicas': ['min.insync.replicas'],
  'compression.type': ['compression.type'],
};

const unitScale: Record<string, number> = { '.hours': 3_600_000, '.minutes': 60_000 };

/** Value in the topic config's unit for broker property `key` (hours/minutes → ms). */
export function brokerValueToTopicValue(key: string, raw: string): string {
  for (const [suffix, scale] of Object.entries(unitScale)) {
    if (key.endsWith(suffix)) {
      const n = Number(raw.trim());
      return String(n < 0 ? -1 : n * scale);
    }
  }
  return raw;
}

export class InvalidConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/** Applies `name=value` topic configs over `base`; throws InvalidConfigError naming the bad key. */
export function applyTopicConfigs(base: LogConfig, configs: Record<string, string>): LogConfig {
  const out: LogConfig = { ...base, cleanupPolicy: { ...base.cleanupPolicy } };
  for (const [key, raw] of Object.entries(configs)) {
    const spec = topicConfigKeys[key];
    if (!spec) continue; // configs we accept and store but that do not affect the log
    try {
      (out as unknown as Record<string, unknown>)[spec.field] = spec.parse(raw);
    } catch (err) {
      throw new InvalidConfigError(key, `Invalid value ${raw} for configuration ${key}: ${(err as Error).message}`);
    }
  }
  return out;
}

/** The broker-level defaults as a LogConfig, from server.properties. */
export function logConfigFromBrokerProperties(props: Record<string, string>): LogConfig {
  const topicLevel: Record<string, string> = {};
  for (const [topicKey, synonyms] of Object.entries(brokerSynonyms)) {
    const found = synonyms.find((s) => props[s] !== undefined);
    if (found) topicLevel[topicKey] = brokerValueToTopicValue(found, props[found]!);
  }
  return applyTopicConfigs(defaultLogConfig, topicLevel);
}

/** A LogConfig field rendered under its topic config name (DescribeConfigs). */
export function formatTopicConfig(config: LogConfig, key: string): string | undefined {
  const spec = topicConfigKeys[key];
  if (!spec) return undefined;
  const v = config[spec.field];
  if (spec.format) return spec.format(v);
  if (typeof v === 'number' && v === Number.MAX_SAFE_INTEGER) return '9223372036854775807';
  return String(v);
}
