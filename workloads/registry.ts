import { UsageError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { CheckResult } from '../checkers/checker.js';
import type { Op } from '../checkers/history/op.js';
import type { ClientSettings } from '../reports/results-schema.js';
import { kafkaHotpath } from './kafka/kafka-hotpath.js';
import { kafkaTxnCopy } from './kafka/kafka-txn-copy.js';
import type { Target } from './launchers/target.js';
import type { Executor, OpGenerator, RunSession } from './runner/index.js';
import type { WorkloadParam } from './workload-params.js';
import { zkHotpath } from './zookeeper/zk-hotpath.js';
import { zkCasRegister } from './zookeeper/zk-cas-register.js';
import { kafkaQueue } from './kafka/kafka-queue.js';
import { zkElection, zkLock } from './zookeeper/zk-lock-workloads.js';
import { zkRegistry } from './zookeeper/zk-registry.js';
import type { NemesisSettings } from './nemesis/run-faults.js';

/**
 * The workloads `kzbench run` (and `kzbench bench`) can drive, and the contract a workload
 * implements. A workload is resolved in two steps so bad input fails before anything starts:
 * `configure` checks the options (a usage error, exit 2) and says what the results will
 * record; `start` connects to a running target and hands the runner a generator and an
 * executor (docs/runner.md).
 *
 * To add a workload: implement `WorkloadDefinition` in `workloads/<system>/<name>.ts` and add
 * it to `registeredWorkloads` below.
 */

export type WorkloadSystem = 'zookeeper' | 'kafka';

/** What the command line resolved for one run. */
export interface WorkloadOptions {
  /** `--set name=value` pairs, not yet validated. */
  params: Record<string, string>;
  /** Client connections (sessions) to open. */
  clients: number;
  /** Ops in flight at most (open loop) / closed-loop workers. */
  inFlight: number;
  /** Target rate in ops/s for open loop; null runs closed loop, flat out. */
  rate: number | null;
  /** `--nemesis` faults, already checked against `WorkloadDefinition.nemesis`. */
  nemesis: readonly string[];
  /** `--inject-bug`, already checked against `WorkloadDefinition.injectBugs`. */
  injectBug: string | null;
}

export interface WorkloadStartContext {
  target: Target;
  session: RunSession;
  log: Logger;
  /**
   * True when the run started the target itself and throws it away afterwards: a workload
   * may then skip cleaning up what it created (deleting 100k znodes takes longer than the run).
   */
  disposableTarget: boolean;
}

/** A workload whose options are valid; `start` may now connect. */
export interface ConfiguredWorkload {
  /** The client library driving the load, as results name it: `kzbench`, `node-zookeeper-client`, `kafkajs`. */
  client: string;
  /** Client settings that change the numbers (batching, acks, fsync, value size, ...). */
  settings: ClientSettings;
  /** Everything else resolved (parameters, op mix, ...), echoed in results.json. */
  extra: Record<string, unknown>;
  /** Keep the history in memory for the checkers (only workloads that check need it). */
  checked: boolean;
  /** Jepsen-style workloads: how the nemesis behaves under `--nemesis` (workloads/nemesis). */
  nemesis?: NemesisSettings;
  start(ctx: WorkloadStartContext): Promise<RunningWorkload>;
}

/** A workload connected to its target. */
export interface RunningWorkload {
  generator: OpGenerator;
  executor: Executor;
  /** TCP connections it opened to the target. */
  connections: number;
  /** Judges the recorded history (workloads with `checked`); verdicts go into results.json. */
  check?: (history: readonly Op[]) => Promise<CheckResult[]>;
  /**
   * Jepsen-style workloads: the final phase, after the load ended and the nemesis healed every
   * fault (e.g. final reads or polls that show what survived); its ops go into the history.
   */
  finish?: () => Promise<void>;
  /** Facts learned while running (e.g. records fetched), added to the results' `extra`. */
  facts?: () => Record<string, unknown>;
  /** Closes clients; cleans up what the workload created unless the target is disposable. */
  close(): Promise<void>;
}

export interface WorkloadDefaults {
  /** Open-loop rate; null: closed loop unless `--rate` is given. */
  rate: number | null;
  durationSeconds: number;
  warmupSeconds: number;
  clients: number;
  inFlight: number;
}

export interface WorkloadDefinition {
  name: string;
  system: WorkloadSystem;
  /** One line for `--list`. */
  description: string;
  /** What judges it: `HDR latency, throughput`, `linearizability (cas-register per key)`. */
  judgedBy: string;
  params: readonly WorkloadParam[];
  /** Faults `--nemesis` may ask for; empty: the workload refuses `--nemesis`. */
  nemesis: readonly string[];
  /** Bugs `--inject-bug` may ask a reference target for; empty: the workload refuses it. */
  injectBugs: readonly string[];
  defaults: WorkloadDefaults;
  /** Validates the options (UsageError on bad input); connects nothing. */
  configure(opts: WorkloadOptions): ConfiguredWorkload;
}

export const registeredWorkloads: readonly WorkloadDefinition[] = [zkHotpath, kafkaHotpath, zkCasRegister, kafkaTxnCopy, kafkaQueue, zkLock, zkElection, zkRegistry];

/**
 * Workloads of the DESIGN.md contract that are planned but may not be registered in this
 * build, so `kzbench run` can tell "not here yet" from a typo.
 */
export const plannedWorkloads: Readonly<Record<string, { system: WorkloadSystem; description: string }>> = {
  'zk-cas-register': { system: 'zookeeper', description: 'read / write / cas over many keys and clients, checked for linearizability' },
  'zk-lock': { system: 'zookeeper', description: 'the ephemeral-sequential lock recipe, checked for mutual exclusion' },
  'zk-election': { system: 'zookeeper', description: 'leader election recipe, at most one leader per term' },
  'zk-registry': { system: 'zookeeper', description: 'service registry with ephemeral nodes and child watches' },
  'kafka-queue': { system: 'kafka', description: 'Jepsen-style send/poll of unique values per key, checked by the Kafka queue checker' },
  'kafka-txn-copy': { system: 'kafka', description: 'consume-transform-produce in transactions, checked for exactly-once' },
};

export function workloadNamed(name: string): WorkloadDefinition {
  const found = registeredWorkloads.find((w) => w.name === name);
  if (found) return found;
  const available = registeredWorkloads.map((w) => w.name).join(', ');
  if (plannedWorkloads[name]) {
    throw new UsageError('KZ_WORKLOAD_UNAVAILABLE', `workload '${name}' is planned (Jepsen-style workloads) but not registered in this build; available: ${available}`);
  }
  throw new UsageError('KZ_WORKLOAD_UNKNOWN', `unknown workload '${name}'; available: ${available} (kzbench run --list)`);
}

/**
 * Refuses `--nemesis` / `--inject-bug` that the workload cannot honour: a run that silently
 * ignored a fault would report a fault-free result as if it had survived one.
 */
export function checkFaultOptions(def: WorkloadDefinition, nemesis: readonly string[], injectBug: string | null): void {
  // `partition:isolate-leader`: the fault's options are the nemesis' business, its kind the workload's.
  const unsupported = nemesis.filter((f) => !def.nemesis.includes(f.split(':')[0]!.trim()));
  if (unsupported.length > 0) {
    const supports = def.nemesis.length > 0 ? `it supports: ${def.nemesis.join(', ')}` : 'it runs without faults (faults belong to the Jepsen-style workloads)';
    throw new UsageError('KZ_NEMESIS_UNSUPPORTED', `workload '${def.name}' does not support --nemesis ${unsupported.join(',')}: ${supports}`);
  }
  if (injectBug !== null && !def.injectBugs.includes(injectBug)) {
    const supports = def.injectBugs.length > 0 ? `it supports: ${def.injectBugs.join(', ')}` : 'it injects no bugs (bug injection belongs to the Jepsen-style workloads)';
    throw new UsageError('KZ_INJECT_BUG_UNSUPPORTED', `workload '${def.name}' does not support --inject-bug ${injectBug}: ${supports}`);
  }
}
