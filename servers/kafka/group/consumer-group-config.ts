import { UsageError } from '../../../common/errors.js';
import { type ServerAssignor, SERVER_ASSIGNORS, serverAssignor } from './server-assignors.js';

/** The broker settings of KIP-848 consumer groups (Apache 4.x `group.consumer.*`). */
export interface ConsumerGroupConfig {
  /** group.consumer.heartbeat.interval.ms: what heartbeat responses tell members. */
  heartbeatIntervalMs: number;
  /** group.consumer.session.timeout.ms: a member silent this long is fenced. */
  sessionTimeoutMs: number;
  /** group.consumer.max.size */
  maxSize: number;
  /** group.consumer.assignors: the first is the default. */
  assignors: readonly ServerAssignor[];
}

export const defaultConsumerGroupConfig: ConsumerGroupConfig = {
  heartbeatIntervalMs: 5000,
  sessionTimeoutMs: 45_000,
  maxSize: 2_147_483_647,
  assignors: SERVER_ASSIGNORS,
};

/** Reads the `group.consumer.*` keys of server.properties (others keep Apache's defaults). */
export function consumerGroupConfigFrom(props: Record<string, string>): ConsumerGroupConfig {
  const int = (key: string, fallback: number, min: number) => {
    const raw = props[key];
    if (raw === undefined) return fallback;
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < min) throw new UsageError('KZ_KAFKA_CONFIG', `${key}=${raw} must be an integer >= ${min}; fix server.properties`);
    return n;
  };
  const names = props['group.consumer.assignors'];
  const assignors = names === undefined ? SERVER_ASSIGNORS : names.split(',').map((s) => s.trim()).filter(Boolean).map((name) => {
    const a = serverAssignor(name) ?? serverAssignor(name.replace(/^org\.apache\.kafka\.coordinator\.group\.assignor\.(Uniform|Range)Assignor$/, (_, n: string) => n.toLowerCase()));
    if (!a) throw new UsageError('KZ_KAFKA_CONFIG', `group.consumer.assignors: unknown assignor ${name}; known: uniform, range`);
    return a;
  });
  if (assignors.length === 0) throw new UsageError('KZ_KAFKA_CONFIG', 'group.consumer.assignors is empty; name uniform and/or range');
  return {
    heartbeatIntervalMs: int('group.consumer.heartbeat.interval.ms', defaultConsumerGroupConfig.heartbeatIntervalMs, 1),
    sessionTimeoutMs: int('group.consumer.session.timeout.ms', defaultConsumerGroupConfig.sessionTimeoutMs, 1),
    maxSize: int('group.consumer.max.size', defaultConsumerGroupConfig.maxSize, 1),
    assignors,
  };
}
