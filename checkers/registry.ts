import { UsageError } from '../common/errors.js';
import type { Checker } from './checker.js';
import { linearizabilityChecker } from './linearizability/linearizability-checker.js';
import { zookeeperSessionChecker } from './zookeeper/zookeeper-session-checker.js';
import { elleChecker } from './elle/elle-checker.js';
import { exactlyOnceChecker } from './kafka/exactly-once-checker.js';
import { kafkaQueueChecker } from './kafka/kafka-queue-checker.js';

/**
 * Every checker `kzbench check --model` can reach. Each one names the models it judges; a
 * model belongs to exactly one checker. Add a checker here to make its models available.
 */
export const checkers: readonly Checker[] = [linearizabilityChecker, zookeeperSessionChecker, elleChecker, kafkaQueueChecker, exactlyOnceChecker];

/**
 * Models whose checkers are planned but may not be registered yet, and who provides them, so
 * `--model` can tell "not here yet" from a typo.
 */
const plannedModels: Readonly<Record<string, string>> = {
  'list-append': 'the Elle checker (checkers/elle/)',
  'rw-register': 'the Elle checker (checkers/elle/)',
  'kafka-queue': 'the Kafka queue checker (checkers/kafka/)',
};

/** Every model name a registered checker judges, sorted. */
export function availableModels(): string[] {
  return checkers.flatMap((c) => c.models).sort();
}

/** The checker for a model; a usage error (exit 2) naming the choices when there is none. */
export function checkerFor(model: string): Checker {
  const checker = checkers.find((c) => c.models.includes(model));
  if (checker) return checker;
  const planned = plannedModels[model];
  if (planned) {
    throw new UsageError('KZ_CHECK_MODEL_UNAVAILABLE', `model '${model}' is provided by ${planned}, which is not registered in checkers/registry.ts in this build; available models: ${availableModels().join(', ')}`);
  }
  throw new UsageError('KZ_CHECK_UNKNOWN_MODEL', `unknown model '${model}'; available models: ${availableModels().join(', ')}`);
}
