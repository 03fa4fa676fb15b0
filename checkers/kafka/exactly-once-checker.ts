import { UsageError } from '../../common/errors.js';
import type { Checker, CheckOptions, CheckResult, Validity } from '../checker.js';
import { AnomalyCollector } from '../elle/anomaly-collector.js';
import { originalValue, showValue, ValueId } from '../elle/value-identity.js';
import type { Op } from '../history/op.js';
import { readKafkaHistory } from './kafka-history-builder.js';
import { type KafkaHistory, OK } from './kafka-history.js';
import { readKafkaJsonlFile } from './kafka-jsonl-history.js';

/**
 * Exactly-once for a transactional copy (consume-transform-produce): a copier reads records
 * from input partitions and, in one Kafka transaction, sends them to output partitions and
 * commits its input offsets. Done right, the output holds every input record exactly once,
 * and nothing else. Op shapes are those of the queue checker (docs/checkers-kafka.md):
 *
 * - producers: `send` ops to input partitions;
 * - copiers: `txn` ops that poll input partitions and send what they polled to output ones;
 * - verifiers: read_committed `poll` (or `txn`) ops of output partitions, reading to the end.
 *
 * Partitions whose name starts with "in" are inputs, "out" outputs (e.g. `in-0`, `output-2`),
 * unless `inputKeys` / `outputKeys` name them.
 *
 * Errors:
 * - lost: an acknowledged input record (or one a committed copy consumed) never appears in the output;
 * - duplicate: an output value appears at more than one output offset;
 * - double-copy: two committed copies both consumed the same input record;
 * - aborted-read: the output shows a value only failed (aborted) copies sent;
 * - phantom: the output shows a value no input ever held.
 */

export interface ExactlyOnceDetails {
  inputKeys: string[];
  outputKeys: string[];
  inputValues: number;
  outputValues: number;
  copies: { ok: number; info: number; fail: number };
  anomalyCounts: Record<string, number>;
}

function keyList(name: string, v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  throw new UsageError('KZ_KAFKA_OPTION', `option ${name} must be a list of partition keys, got ${JSON.stringify(v)}`);
}

export const exactlyOnceChecker: Checker = {
  name: 'kafka-exactly-once',
  models: ['kafka-exactly-once'],
  async check(history: readonly Op[], model: string, options?: CheckOptions): Promise<CheckResult> {
    if (model !== 'kafka-exactly-once') throw new UsageError('KZ_CHECK_MODEL', `the exactly-once checker judges kafka-exactly-once histories, not ${JSON.stringify(model)}`);
    return checkExactlyOnce(history, options);
  },
  async checkFile(path, model, file, options) {
    if (model !== 'kafka-exactly-once') throw new UsageError('KZ_CHECK_MODEL', `the exactly-once checker judges kafka-exactly-once histories, not ${JSON.stringify(model)}`);
    if (file.format !== 'jsonl') return undefined;
    const started = performance.now();
    return checkExactlyOnceHistory(readKafkaJsonlFile(path, { defaults: file.defaults }), options, started);
  },
};

interface Position {
  key: string;
  offset: number | null;
  /** The op's position in the history. */
  op: number;
}

export function checkExactlyOnce(ops: readonly Op[], options: CheckOptions = {}): CheckResult {
  const started = performance.now();
  return checkExactlyOnceHistory(readKafkaHistory(ops), options, started);
}

export function checkExactlyOnceHistory(history: KafkaHistory, options: CheckOptions = {}, started = performance.now()): CheckResult {
  const h = history;
  const describeOp = (o: number) => h.describeOp(o);
  const shownIndex = (o: number) => h.shown[o]!;
  const indexOf = (o: number) => h.index[o]!;
  const maxPerType = typeof options.maxAnomaliesPerType === 'number' ? options.maxAnomaliesPerType : 32;
  const out = new AnomalyCollector(maxPerType);

  const names = history.partitions.map((p) => p.name);
  const inputKeys = new Set(keyList('inputKeys', options.inputKeys) ?? names.filter((k) => /^in/i.test(k)));
  const outputKeys = new Set(keyList('outputKeys', options.outputKeys) ?? names.filter((k) => /^out/i.test(k)));
  const unknownKeys = names.filter((k) => !inputKeys.has(k) && !outputKeys.has(k));
  if (unknownKeys.length > 0) {
    throw new UsageError(
      'KZ_KAFKA_EOS_KEYS',
      `partitions ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')} are neither input nor output; name inputs "in..." and outputs "out...", or pass inputKeys/outputKeys`,
    );
  }
  const isInput = history.partitions.map((p) => inputKeys.has(p.name));
  const isOutput = history.partitions.map((p) => outputKeys.has(p.name));
  /** Records of the runs, as (partition name, offset, value id, value). */
  const records = (from: number, to: number, keep: boolean[]) => {
    const found: { key: string; offset: number | null; id: ValueId; value: unknown }[] = [];
    for (let r = from; r < to; r++) {
      const p = h.runPartition[r]!;
      if (!keep[p]) continue;
      for (let i = h.runStart[r]!, end = i + h.runLength[r]!; i < end; i++) {
        const id = h.partitions[p]!.ids[h.records.values[i]!]!;
        const offset = h.records.offsets[i]!;
        found.push({ key: names[p]!, offset: Number.isNaN(offset) ? null : offset, id, value: originalValue(id) });
      }
    }
    return found;
  };
  const readsOf = (o: number, keep: boolean[]) => records(h.runsFrom[o]!, h.writesFrom[o]!, keep);
  const writesOf = (o: number, keep: boolean[]) => records(h.writesFrom[o]!, h.runsFrom[o + 1]!, keep);

  // What entered the input: acknowledged sends, and anything a copy polled from it.
  const input = new Map<ValueId, { value: unknown; from: Position; acknowledged: boolean }>();
  const everInInput = new Set<ValueId>();
  for (let o = 0; o < h.size; o++) {
    for (const w of writesOf(o, isInput)) {
      everInInput.add(w.id);
      if (h.outcome[o] === OK && !input.has(w.id)) input.set(w.id, { value: w.value, from: { key: w.key, offset: w.offset, op: o }, acknowledged: true });
    }
    for (const r of readsOf(o, isInput)) {
      everInInput.add(r.id);
      if (h.outcome[o] === OK && !input.has(r.id)) input.set(r.id, { value: r.value, from: { key: r.key, offset: r.offset, op: o }, acknowledged: false });
    }
  }

  // Who copied what: committed, crashed and failed copies, by the values they sent to output.
  const sentBy = new Map<ValueId, number[]>();
  const copies = { ok: 0, info: 0, fail: 0 };
  const consumedBy = new Map<string, number[]>();
  for (let o = 0; o < h.size; o++) {
    const sent = writesOf(o, isOutput);
    if (sent.length === 0) continue;
    copies[h.type(o)]++;
    for (const w of sent) sentBy.set(w.id, [...(sentBy.get(w.id) ?? []), o]);
    if (h.outcome[o] !== OK) continue;
    for (const r of readsOf(o, isInput)) {
      const record = `${r.key}\u0001${r.offset ?? `value:${String(r.id)}`}`;
      consumedBy.set(record, [...(consumedBy.get(record) ?? []), o]);
    }
  }

  // What the output holds, as committed reads saw it.
  const seenAt = new Map<ValueId, { value: unknown; positions: Map<string, Position> }>();
  let outputReads = 0;
  for (let o = 0; o < h.size; o++) {
    if (h.outcome[o] !== OK) continue;
    for (let r = h.runsFrom[o]!; r < h.writesFrom[o]!; r++) if (isOutput[h.runPartition[r]!]) outputReads++;
    for (const r of readsOf(o, isOutput)) {
      let s = seenAt.get(r.id);
      if (!s) seenAt.set(r.id, (s = { value: r.value, positions: new Map() }));
      const where = `${r.key}@${r.offset ?? '?'}`;
      if (!s.positions.has(where)) s.positions.set(where, { key: r.key, offset: r.offset, op: o });
    }
  }

  for (const [id, s] of seenAt) {
    const positions = [...s.positions.values()];
    if (positions.filter((p) => p.offset !== null).length > 1) {
      out.add('duplicate', () => ({
        explanation: `output value ${showValue(s.value)} appears ${positions.length} times: ${positions.map((p) => `${p.key} offset ${p.offset} (read by ${describeOp(p.op)})`).join(', ')}${
          (sentBy.get(id)?.filter((c) => h.outcome[c] === OK).length ?? 0) > 1 ? `; it was sent by ${sentBy.get(id)!.filter((c) => h.outcome[c] === OK).map(describeOp).join(' and ')}` : ''
        }`,
        ops: [...new Set(positions.map((p) => indexOf(p.op)))],
        data: { value: s.value, positions: positions.map((p) => ({ key: p.key, offset: p.offset, reader: shownIndex(p.op) })) },
      }));
    }
    if (!everInInput.has(id)) {
      out.add('phantom', () => ({
        explanation: `output value ${showValue(s.value)} (${positions[0]!.key} offset ${positions[0]!.offset}, read by ${describeOp(positions[0]!.op)}) was never in any input partition`,
        ops: [indexOf(positions[0]!.op)],
        data: { value: s.value, key: positions[0]!.key, offset: positions[0]!.offset },
      }));
      continue;
    }
    const senders = sentBy.get(id) ?? [];
    if (senders.length > 0 && senders.every((c) => h.type(c) === 'fail')) {
      out.add('aborted-read', () => ({
        explanation: `output value ${showValue(s.value)} was read by ${describeOp(positions[0]!.op)}, but the only copies that sent it (${senders.map(describeOp).join(', ')}) aborted: a read_committed consumer saw uncommitted data`,
        ops: [indexOf(positions[0]!.op), ...senders.map(indexOf)],
        data: { value: s.value, senders: senders.map(shownIndex) },
      }));
    }
  }

  for (const [record, copiers] of consumedBy) {
    if (copiers.length < 2) continue;
    const [key, where] = record.split('\u0001');
    out.add('double-copy', () => ({
      explanation: `input ${key} ${where!.startsWith('value:') ? where : `offset ${where}`} was consumed by ${copiers.length} committed copies (${copiers.map(describeOp).join(', ')}); with exactly-once each input record is processed by one committed transaction`,
      ops: copiers.map(indexOf),
      data: { key, record: where, copies: copiers.map(shownIndex) },
    }));
  }

  if (outputReads === 0 && input.size > 0) {
    out.mark('output-never-read', `the history has ${input.size} input records but no committed poll of an output partition, so exactly-once cannot be judged; the workload must read the output to the end`);
  } else {
    for (const [id, rec] of input) {
      if (seenAt.has(id)) continue;
      out.add('lost', () => ({
        explanation: `input value ${showValue(rec.value)} (${rec.from.key}${rec.from.offset !== null ? ` offset ${rec.from.offset}` : ''}, ${rec.acknowledged ? 'acknowledged to' : 'consumed by'} ${describeOp(rec.from.op)}) never appeared in any output partition`,
        ops: [indexOf(rec.from.op)],
        data: { value: rec.value, key: rec.from.key, offset: rec.from.offset, acknowledged: rec.acknowledged, copiedBy: (sentBy.get(id) ?? []).map(shownIndex) },
      }));
    }
  }

  const types = out.types().sort();
  const valid: Validity = types.length === 0 ? true : types.every((t) => t === 'output-never-read') ? 'unknown' : false;
  const details: ExactlyOnceDetails = {
    inputKeys: [...inputKeys].sort(),
    outputKeys: [...outputKeys].sort(),
    inputValues: input.size,
    outputValues: seenAt.size,
    copies,
    anomalyCounts: out.allCounts(),
  };
  const scope = `${input.size} input records over ${inputKeys.size} input partitions, ${seenAt.size} distinct output values, ${copies.ok} committed / ${copies.fail} aborted / ${copies.info} indeterminate copies`;
  const summary =
    valid === true
      ? `Exactly once: output = input (${scope}).`
      : valid === 'unknown'
        ? `Cannot judge exactly-once (${scope}): the output was never read.`
        : `Not exactly once (${scope}): ${types.map((t) => `${t} (${out.count(t)})`).join(', ')}.`;
  return {
    checker: 'kafka-exactly-once',
    model: 'kafka-exactly-once',
    valid,
    anomalyTypes: types,
    anomalies: types.flatMap((t) => [...out.cases(t)]),
    summary,
    stats: { inputRecords: input.size, outputValues: seenAt.size, committedCopies: copies.ok, abortedCopies: copies.fail, elapsedMs: Math.round(performance.now() - started) },
    details,
  };
}
