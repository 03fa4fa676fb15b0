import type { WorkloadParams } from '../workload-params.js';
import type { NemesisSettings } from './run-faults.js';

/**
 * Parameters every Jepsen-style workload takes for its nemesis (`--set nemesis-interval=3`).
 * `intervalSeconds` is the workload's default: JVM Kafka brokers need longer to come back
 * than ZooKeeper servers.
 */
export function nemesisParams(intervalSeconds: number) {
  return [
    { name: 'nemesis-interval', description: 'mean seconds between nemesis actions (start or heal of a fault)', default: String(intervalSeconds) },
    { name: 'recovery-timeout', description: 'seconds to wait for the cluster to serve again after the final heal', default: '90' },
    { name: 'seed', description: 'seed of the op mix and the nemesis choices', default: '1' },
  ] as const;
}

export const jepsenNemesisParams = nemesisParams(5);

export function nemesisSettingsFrom(p: WorkloadParams): NemesisSettings {
  return {
    intervalSeconds: p.int('nemesis-interval', 1, 3600),
    recoveryTimeoutSeconds: p.int('recovery-timeout', 1, 3600),
    seed: p.int('seed', 0, 2 ** 31 - 1),
  };
}
