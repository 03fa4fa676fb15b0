import { UsageError } from '../../common/errors.js';
import type { Anomaly, Checker, CheckOptions, CheckResult, Validity } from '../checker.js';
import { AnomalyCollector } from '../elle/anomaly-collector.js';
import { analyzeCycles } from '../elle/cycle-analysis.js';
import { ExplainedCycle, explainCycle } from '../elle/cycle-explanation.js';
import { elleOptions } from '../elle/elle-options.js';
import type { ElleDetails } from '../elle/elle-run.js';
import { elleVerdict, reportableAnomalyTypes, unknownAnomalyTypes } from '../elle/elle-verdict.js';
import { SearchBudget } from '../elle/search-budget.js';
import { addRealtimeEdgesByIndex } from '../elle/session-orders.js';
import type { Txn } from '../elle/transactions.js';
import { originalValue, showValue } from '../elle/value-identity.js';
import type { Op } from '../history/op.js';
import { kafkaDependencies, kafkaTxn } from './kafka-dependencies.js';
import { type KafkaHistory, OK, INFO, FAIL, SUBSCRIBE } from './kafka-history.js';
import { readKafkaHistory } from './kafka-history-builder.js';
import { readKafkaJsonlFile, type KafkaFileOptions } from './kafka-jsonl-history.js';
import {
  abortedReads,
  duplicateCases,
  internalOrderCases,
  lostWrites,
  pollOrderCases,
  precommittedReads,
  queueIndexes,
  sendOrderCases,
  unseenCases,
} from './queue-analysis.js';
import { okReads, versionOrders } from './version-orders.js';

/**
 * The Kafka queue checker, after Jepsen's `jepsen.tests.kafka/checker`: version orders per
 * partition from every send and poll, the queue errors Jepsen names (lost writes, skips,
 * duplicates, aborted reads, ...), and Elle's cycle search over the dependencies between
 * operations for G0 / G1c (write cycles and circular information flow).
 */

export interface KafkaQueueDetails extends ElleDetails {
  /** Every error type found. */
  errorTypes: string[];
  /** Those that fail the check. */
  badErrorTypes: string[];
  /** Those found but allowed by Kafka's model in this configuration. */
  allowedErrorTypes: string[];
  subVia: string[];
  wwDeps: boolean;
}

export interface KafkaQueueOptions {
  /** Infer write-write edges from offsets (Kafka does not isolate writes, so G0/G1c are then expected). */
  wwDeps: boolean;
  /**
   * Anti-dependencies from each op's highest poll of a partition. Off by default: consumers
   * may lag, so rw + realtime cycles are normal in Kafka, and they would merge a healthy
   * history into one huge component. Turn on to check stronger models.
   */
  rwDeps: boolean;
  /** How consumers got partitions; with subscribe, rebalances make poll-skip and nonmonotonic-poll normal. */
  subVia: string[];
}

/**
 * Error types Kafka's design allows (Jepsen's `allowed-error-types`): sends of concurrent
 * producers interleave (int-send-skip); writes are not isolated (G0); with subscribe a
 * rebalance moves consumers around; with ww edges, G1c follows from G0.
 */
export function allowedErrorTypes(opts: KafkaQueueOptions): Set<string> {
  const allowed = new Set(['int-send-skip', 'G0', 'G0-process', 'G0-realtime', 'PL-1-cycle-exists', 'strong-PL-1-cycle-exists', 'strong-session-PL-1-cycle-exists']);
  if (opts.subVia.includes('subscribe')) for (const t of ['poll-skip', 'nonmonotonic-poll']) allowed.add(t);
  if (opts.wwDeps) for (const t of ['G1c', 'G1c-process', 'G1c-realtime', 'PL-2-cycle-exists', 'strong-PL-2-cycle-exists', 'strong-session-PL-2-cycle-exists']) allowed.add(t);
  return allowed;
}

function flag(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v === 'boolean') return v;
  throw new UsageError('KZ_KAFKA_OPTION', `option ${name} must be true or false, got ${JSON.stringify(v)}`);
}

export const kafkaQueueChecker: Checker = {
  name: 'kafka-queue',
  models: ['kafka-queue'],
  async check(history: readonly Op[], model: string, options?: CheckOptions): Promise<CheckResult> {
    if (model !== 'kafka-queue') throw new UsageError('KZ_CHECK_MODEL', `the kafka-queue checker judges kafka-queue histories, not ${JSON.stringify(model)}`);
    return checkKafkaQueue(history, options);
  },
  async checkFile(path, model, file, options) {
    if (model !== 'kafka-queue') throw new UsageError('KZ_CHECK_MODEL', `the kafka-queue checker judges kafka-queue histories, not ${JSON.stringify(model)}`);
    return file.format === 'jsonl' ? checkKafkaQueueFile(path, options, { defaults: file.defaults }) : undefined;
  },
};

/** Checks a history given as Op objects. */
export function checkKafkaQueue(ops: readonly Op[], options: CheckOptions = {}): CheckResult {
  const started = performance.now();
  return checkKafkaHistory(readKafkaHistory(ops), options, started);
}

/**
 * Checks a `history.jsonl` file, streamed into the checker's columns without ever holding
 * the history as Op objects: what makes million-op histories cheap (docs/checkers-kafka.md).
 */
export function checkKafkaQueueFile(path: string, options: CheckOptions = {}, file: KafkaFileOptions = {}): CheckResult {
  const started = performance.now();
  return checkKafkaHistory(readKafkaJsonlFile(path, file), options, started);
}

export function checkKafkaHistory(history: KafkaHistory, options: CheckOptions = {}, started = performance.now()): CheckResult {
  // Kafka promises read committed, with write cycles allowed: search for G0/G1c and their
  // realtime variants unless told otherwise.
  const elle = elleOptions(options, ['strong-read-committed']);
  const h = history;
  const subVia = Array.isArray(options.subVia) ? (options.subVia as string[]) : h.fn.includes(SUBSCRIBE) ? ['subscribe'] : ['assign'];
  const kopts: KafkaQueueOptions = { wwDeps: flag('wwDeps', options.wwDeps, false), rwDeps: flag('rwDeps', options.rwDeps, false), subVia };
  const out = new AnomalyCollector(elle.maxAnomaliesPerType);

  const okRead = okReads(history);
  const { orders, inconsistent } = versionOrders(history, okRead);
  for (const c of inconsistent) {
    const key = history.partitions[c.partition]!.name;
    const values = c.values.map((v) => originalValue(history.partitions[c.partition]!.ids[v]));
    out.add('inconsistent-offsets', () => ({
      explanation: `offset ${c.offset} of key ${key} held ${values.length} different values (${values.map(showValue).join(', ')}) in different sends and polls`,
      data: { key, offset: c.offset, index: c.index, values },
    }));
  }
  const ix = queueIndexes(history, orders, okRead);
  abortedReads(ix, out);
  precommittedReads(ix, out);
  lostWrites(ix, out);
  internalOrderCases(ix, out);
  pollOrderCases(ix, out);
  sendOrderCases(ix, out);
  duplicateCases(ix, out);
  unseenCases(ix, out);
  const queueTypes = out.types();

  // Cycles.
  const deps = kafkaDependencies(ix, kopts);
  const vertexCount = h.vertices.length;
  const invoked = new Float64Array(vertexCount);
  const okCompleted = new Float64Array(vertexCount).fill(-1);
  let last = 0;
  for (let v = 0; v < vertexCount; v++) {
    const o = h.vertices[v]!;
    invoked[v] = h.invokeIndex[o]!;
    last = Math.max(last, h.invokeIndex[o]!, h.completed[o] === 1 ? h.index[o]! : 0);
    if (h.outcome[o] === OK && h.completed[o] === 1) okCompleted[v] = h.index[o]!;
  }
  addRealtimeEdgesByIndex(deps.builder, invoked, okCompleted, last);
  const txns = new Map<number, Txn>();
  const txnOf = (v: number): Txn => {
    let t = txns.get(v);
    if (!t) txns.set(v, (t = kafkaTxn(h, v)));
    return t;
  };
  const opIndex = (v: number) => h.index[h.vertices[v]!]!;
  const graph = deps.builder.build();
  if (graph.edgeCount === 0) out.mark('empty-transaction-graph', 'no dependencies between operations could be inferred: nothing was both sent and polled');
  const cycles = analyzeCycles(graph, {
    cycleSearchTimeoutMs: elle.cycleSearchTimeoutMs,
    budget: SearchBudget.forMs(elle.timeLimitMs),
    relationPriority: deps.relationPriority,
    // Only what these models forbid: other cycle types are normal in Kafka.
    searchTypes: reportableAnomalyTypes(elle),
  });
  const explained = new Map<string, ExplainedCycle[]>();
  for (const c of cycles.cycles) {
    const ex = explainCycle(c, txnOf, deps.explainer);
    out.add(c.type, () => ({ explanation: `A cycle of ${c.vertices.length - 1} operations.\n${ex.explanation}`, ops: [...new Set(c.vertices)].map(opIndex), data: ex }));
    explained.set(c.type, [...(explained.get(c.type) ?? []), ex]);
  }
  for (const c of cycles.cycleExists) {
    out.add(c.type, () => ({
      explanation: `a cycle exists among ${c.scc.length} operations (${c.scc
        .slice(0, 12)
        .map((v) => h.shown[h.vertices[v]!])
        .join(', ')}${c.scc.length > 12 ? ', ...' : ''}) using only ${c.subgraph} edges, so ${c.not} cannot hold`,
      ops: c.scc.map(opIndex),
      data: { not: c.not, subgraph: c.subgraph, sccSize: c.scc.length },
    }));
  }
  for (const t of cycles.timeouts) {
    out.add(t.type, () => ({
      explanation: `the search for ${t.anomalySpecType} among ${t.sccSize} operations ran out of time; raise cycleSearchTimeoutMs to search further`,
      data: { ...t },
    }));
  }
  const cycleTypes = out.types().filter((t) => !queueTypes.includes(t));
  const cycleVerdict = elleVerdict(cycleTypes, elle);

  const errorTypes = [...queueTypes, ...cycleVerdict.anomalyTypes].sort();
  const allowed = allowedErrorTypes(kopts);
  const bad = errorTypes.filter((t) => !allowed.has(t) && !unknownAnomalyTypes.has(t));
  const unknown = errorTypes.filter((t) => unknownAnomalyTypes.has(t));
  const valid: Validity = bad.length > 0 ? false : unknown.length > 0 ? 'unknown' : true;
  const shown = [...bad, ...unknown].sort();
  const anomalies: Anomaly[] = shown.flatMap((t) => [...out.cases(t)]);
  const allowedFound = errorTypes.filter((t) => allowed.has(t));

  const outcomes = [0, 0, 0];
  for (let o = 0; o < h.size; o++) outcomes[h.outcome[o]!]!++;
  const stats: Record<string, number> = {
    ops: h.size,
    ok: outcomes[OK]!,
    info: outcomes[INFO]!,
    failed: outcomes[FAIL]!,
    partitions: orders.length,
    edges: graph.edgeCount,
    sccs: cycles.sccCount,
    largestScc: cycles.largestScc,
    polledValuesWithoutWriter: deps.unwritten,
    elapsedMs: Math.round(performance.now() - started),
  };
  const details: KafkaQueueDetails = {
    workload: 'kafka-queue',
    consistencyModels: elle.consistencyModels,
    not: cycleVerdict.not,
    alsoNot: cycleVerdict.alsoNot,
    foundTypes: cycleVerdict.foundTypes,
    anomalyCounts: out.allCounts(),
    cycles: shown.flatMap((t) => explained.get(t) ?? []),
    errorTypes,
    badErrorTypes: bad,
    allowedErrorTypes: allowedFound,
    subVia,
    wwDeps: kopts.wwDeps,
  };
  const scope = `${stats.ops} Kafka ops (${stats.ok} ok, ${stats.info} indeterminate, ${stats.failed} failed) over ${stats.partitions} partitions`;
  const allowedNote = allowedFound.length > 0 ? ` Allowed by Kafka's model here: ${allowedFound.map((t) => `${t} (${out.count(t)})`).join(', ')}.` : '';
  const summary =
    valid === true
      ? `Checked ${scope}: no queue errors.${allowedNote}`
      : `Checked ${scope}: ${valid === false ? 'found' : 'could not decide'} ${shown.map((t) => `${t} (${out.count(t)})`).join(', ')}.${allowedNote}`;
  return { checker: 'kafka-queue', model: 'kafka-queue', valid, anomalyTypes: shown, anomalies, summary, stats, details };
}
