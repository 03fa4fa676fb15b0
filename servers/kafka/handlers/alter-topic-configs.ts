import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import type { BrokerState } from '../broker-state.js';
import { InvalidConfigError } from '../config/invalid-config-error.js';
import { ResourceType } from './config-resource.js';

export interface AlterResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

/**
 * Shared by AlterConfigs and IncrementalAlterConfigs: `compute` turns the topic's current
 * overrides into the new ones; they are validated, then stored and applied to the live logs.
 * Dynamic broker configs are not supported (the broker reads server.properties at start).
 */
export function alterTopicConfigs(
  broker: BrokerState,
  resourceType: number,
  resourceName: string,
  validateOnly: boolean,
  compute: (current: Record<string, string>) => Record<string, string> | string,
): AlterResult {
  const base = { errorCode: ErrorCode.NONE, errorMessage: null, resourceType, resourceName };
  if (resourceType !== ResourceType.topic) {
    return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'the reference broker only alters topic configs; broker configs come from server.properties' };
  }
  const t = broker.topics.get(resourceName);
  if (!t) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic ${resourceName} does not exist` };
  const next = compute({ ...t.configs });
  if (typeof next === 'string') return { ...base, errorCode: ErrorCode.INVALID_CONFIG, errorMessage: next };
  try {
    broker.validateTopicConfigs(next);
  } catch (err) {
    if (err instanceof InvalidConfigError) return { ...base, errorCode: ErrorCode.INVALID_CONFIG, errorMessage: err.message };
    throw err;
  }
  if (!validateOnly) broker.setTopicConfigs(resourceName, next);
  return base;
}
