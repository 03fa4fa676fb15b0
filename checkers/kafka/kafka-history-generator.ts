import type { Op } from '../history/op.js';
import { seededRandom } from '../linearizability/synthetic-histories.js';

/**
 * Deterministic (seeded) Kafka queue histories for benchmarks and tests, in the op shapes of
 * docs/checkers-kafka.md. Clients both produce and consume, as Jepsen's do: each assigns
 * itself some partitions, then runs sends, polls, and transactions mixing the two, against a
 * simulated broker that applies each op atomically when it completes (so the history is a
 * correct queue by construction). Committed transactions leave a marker that takes an offset
 * no consumer sees, as Kafka's do. Crashed clients come back under a new process id. At the
 * end a reader drains every partition, so every acknowledged send is seen.
 *
 * Faults, off by default, break it on purpose:
 * - `loseWrites`: an acknowledged send never reaches the log (lost-write, unseen);
 * - `duplicateWrites`: a send lands in the log twice (duplicate);
 * - `misreportOffsets`: an acknowledged send reports the offset after the one it got
 *   (inconsistent-offsets, once another record lands there);
 * - `leakAborts`: a failed op's sends land in the log all the same (G1a, an aborted read).
 */
export interface KafkaQueueHistoryOptions {
  seed: number;
  /** Client operations (invocations), not counting the final drain. */
  ops: number;
  concurrency: number;
  /** Partitions, keys 0..partitions-1 (default 8). */
  partitions?: number;
  /** Share of ops that are transactions mixing sends and a poll (default 0.1). */
  txnRate?: number;
  failRate?: number;
  infoRate?: number;
  loseWrites?: number;
  duplicateWrites?: number;
  misreportOffsets?: number;
  leakAborts?: number;
  /** Hands each op over as it is made instead of keeping it: the result is then empty (histories bigger than memory, written to a file). */
  emit?: (op: Op) => void;
}

type Mop = unknown[];

export function kafkaQueueHistory(opts: KafkaQueueHistoryOptions): Op[] {
  const random = seededRandom(opts.seed);
  const partitions = opts.partitions ?? 8;
  const txnRate = opts.txnRate ?? 0.1;
  const failRate = opts.failRate ?? 0;
  const infoRate = opts.infoRate ?? 0;
  const loseWrites = opts.loseWrites ?? 0;
  const duplicateWrites = opts.duplicateWrites ?? 0;
  const misreportOffsets = opts.misreportOffsets ?? 0;
  const leakAborts = opts.leakAborts ?? 0;

  const logs: [number, number][][] = Array.from({ length: partitions }, () => []);
  const nextOffset = new Array<number>(partitions).fill(0);
  let nextValue = 0;

  interface Client {
    process: number;
    assigned: number[];
    position: Map<number, number>;
    needsAssign: boolean;
    open: { f: string; value: Mop[] } | null;
  }
  let nextProcess = 0;
  const newClient = (slot: number): Client => ({
    process: nextProcess++,
    // Slots cover the partitions round robin, so every partition has a consumer.
    assigned: Array.from({ length: partitions }, (_, p) => p).filter((p) => p % opts.concurrency === slot % opts.concurrency || random() < 0.2),
    position: new Map(),
    needsAssign: true,
    open: null,
  });
  const clients = Array.from({ length: opts.concurrency }, (_, slot) => newClient(slot));

  const ops: Op[] = [];
  const emit = opts.emit ?? ((op: Op) => ops.push(op));
  let time = 0;
  let count = 0;
  const push = (op: Omit<Op, 'index' | 'time'>) => emit({ index: count++, time: (time += 1000), ...op } as Op);

  const plan = (): { f: string; value: Mop[] } => {
    const roll = random();
    const sends = (n: number): Mop[] => Array.from({ length: n }, () => ['send', Math.floor(random() * partitions), nextValue++]);
    if (roll < txnRate) return { f: 'txn', value: [['poll'], ...sends(1 + Math.floor(random() * 3))] };
    if (roll < txnRate + (1 - txnRate) / 2) return { f: 'send', value: sends(1 + Math.floor(random() * 3)) };
    return { f: 'poll', value: [['poll']] };
  };
  const poll = (c: Client, advance: boolean): Record<string, [number, number][]> => {
    const result: Record<string, [number, number][]> = {};
    for (const p of c.assigned) {
      const log = logs[p]!;
      const from = c.position.get(p) ?? 0;
      const batch = log.slice(from, from + 1 + Math.floor(random() * 8));
      if (batch.length === 0) continue;
      result[String(p)] = batch;
      if (advance) c.position.set(p, from + batch.length);
    }
    return result;
  };
  const append = (p: number, value: number): number => {
    const offset = nextOffset[p]!++;
    if (random() < loseWrites) return offset; // acknowledged, never stored
    logs[p]!.push([offset, value]);
    if (random() < duplicateWrites) logs[p]!.push([nextOffset[p]!++, value]);
    return misreportOffsets > 0 && random() < misreportOffsets ? offset + 1 : offset;
  };
  const apply = (c: Client, value: Mop[], advance: boolean): Mop[] => {
    // Polls first: a transaction never sees its own uncommitted sends.
    const completed = value.map((m) => (m[0] === 'poll' ? ['poll', poll(c, advance)] : m));
    const sent = new Set<number>();
    const done = completed.map((m) => {
      if (m[0] !== 'send') return m;
      const p = m[1] as number;
      sent.add(p);
      return ['send', p, [append(p, m[2] as number), m[2]]];
    });
    for (const p of sent) if (value.length > 1) nextOffset[p]!++; // the commit marker
    return done;
  };

  let invoked = 0;
  let running = 0;
  while (invoked < opts.ops || running > 0) {
    const slot = Math.floor(random() * opts.concurrency);
    const c = clients[slot]!;
    if (c.open === null) {
      if (invoked >= opts.ops) continue;
      if (c.needsAssign) {
        push({ process: c.process, type: 'invoke', f: 'assign', value: c.assigned });
        push({ process: c.process, type: 'ok', f: 'assign', value: c.assigned });
        c.needsAssign = false;
        continue;
      }
      c.open = plan();
      invoked++;
      running++;
      push({ process: c.process, type: 'invoke', f: c.open.f, value: c.open.value });
      continue;
    }
    const { f, value } = c.open;
    c.open = null;
    running--;
    const roll = random();
    if (roll < failRate) {
      if (leakAborts > 0 && random() < leakAborts) apply(c, value, false); // aborted, yet visible
      push({ process: c.process, type: 'fail', f, value });
    } else if (roll < failRate + infoRate) {
      if (random() < 0.5) apply(c, value, false); // may or may not have happened
      push({ process: c.process, type: 'info', f, value });
      clients[slot] = newClient(slot);
    } else {
      push({ process: c.process, type: 'ok', f, value: apply(c, value, true) });
    }
  }

  // Drain: one reader assigned to everything polls until every partition is exhausted.
  const reader: Client = { process: nextProcess++, assigned: Array.from({ length: partitions }, (_, p) => p), position: new Map(), needsAssign: false, open: null };
  push({ process: reader.process, type: 'invoke', f: 'assign', value: reader.assigned });
  push({ process: reader.process, type: 'ok', f: 'assign', value: reader.assigned });
  for (;;) {
    const result = poll(reader, true);
    push({ process: reader.process, type: 'invoke', f: 'poll', value: [['poll']] });
    push({ process: reader.process, type: 'ok', f: 'poll', value: [['poll', result]] });
    if (Object.keys(result).length === 0) break;
  }
  return ops;
}
