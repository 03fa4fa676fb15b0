import type { Op, OpType, ProcessId } from '../history/op.js';

/**
 * Deterministic (seeded) histories of a correct concurrent object, for benchmarks and tests:
 * clients run ops back to back; each op takes effect at a random instant inside its
 * [invoke, complete] interval, in that order, against a real sequential object, so the
 * history is linearizable by construction. Indeterminate ops end in info (a timeout); they
 * take effect or not at random, and their client continues under a new process id, as
 * Jepsen does. `corrupt` then changes one late ok read so it returns a value no op ever
 * wrote, which makes the history not linearizable.
 */
export interface SyntheticOptions {
  seed: number;
  /** Client operations (invocations). */
  ops: number;
  /** Clients running at once (the concurrency). */
  clients: number;
  /** How many ops end indeterminate (info). */
  infoOps?: number;
  corrupt?: boolean;
}

export interface CasRegisterOptions extends SyntheticOptions {
  /** Values are drawn from 0..values-1 (default 5, as the Jepsen etcd test). */
  values?: number;
}

export interface KvOptions extends SyntheticOptions {
  /** Independent keys "0".."keys-1" (default 10, as Porcupine's kv histories). */
  keys?: number;
}

interface PlannedOp {
  client: number;
  process: ProcessId;
  invokeAt: number;
  effectAt: number;
  completeAt: number;
  f: string;
  key?: string;
  arg: unknown;
  /** Indeterminate: completes with info; `happens` says whether it took effect. */
  info: boolean;
  happens: boolean;
  outcome?: 'ok' | 'fail' | 'info';
  result?: unknown;
}

/** Mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Read / write / cas on one register starting at 0 (check with `--init 0`). */
export function casRegisterHistory(opts: CasRegisterOptions): Op[] {
  const values = opts.values ?? 5;
  const random = seededRandom(opts.seed);
  const planned = planOps(opts, random, () => {
    const r = random();
    if (r < 0.5) return { f: 'read', arg: null };
    if (r < 0.75) return { f: 'write', arg: Math.floor(random() * values) };
    return { f: 'cas', arg: [Math.floor(random() * values), Math.floor(random() * values)] };
  });
  let register: unknown = 0;
  for (const op of [...planned].sort((a, b) => a.effectAt - b.effectAt)) {
    const takesEffect = !op.info || op.happens;
    if (op.f === 'read') {
      op.outcome = op.info ? 'info' : 'ok';
      op.result = op.info ? null : register;
    } else if (op.f === 'write') {
      if (takesEffect) register = op.arg;
      op.outcome = op.info ? 'info' : 'ok';
      op.result = op.arg;
    } else {
      const [from, to] = op.arg as [number, number];
      const swapped = takesEffect && register === from;
      if (swapped) register = to;
      op.outcome = op.info ? 'info' : swapped ? 'ok' : 'fail';
      op.result = op.arg;
    }
  }
  // Nobody writes `values`, so a read of it can never be linearized.
  if (opts.corrupt) corruptOneRead(planned, () => values);
  return toHistory(planned);
}

/** get / put / append of strings over independent keys (Porcupine's kv workload). */
export function kvHistory(opts: KvOptions): Op[] {
  const keys = opts.keys ?? 10;
  const random = seededRandom(opts.seed);
  let serial = 0;
  const planned = planOps(opts, random, (client) => {
    const key = String(Math.floor(random() * keys));
    const r = random();
    if (r < 0.5) return { f: 'get', key, arg: null };
    if (r < 0.6) return { f: 'put', key, arg: `x ${client} ${serial++} y` };
    return { f: 'append', key, arg: `x ${client} ${serial++} y` };
  });
  const store = new Map<string, string>();
  for (const op of [...planned].sort((a, b) => a.effectAt - b.effectAt)) {
    const takesEffect = !op.info || op.happens;
    const current = store.get(op.key!) ?? '';
    op.outcome = op.info ? 'info' : 'ok';
    if (op.f === 'get') {
      op.result = op.info ? null : current;
    } else {
      if (takesEffect) store.set(op.key!, op.f === 'put' ? (op.arg as string) : current + (op.arg as string));
      op.result = op.arg;
    }
  }
  if (opts.corrupt) corruptOneRead(planned, (v) => `${v as string}x corrupt y`);
  return toHistory(planned);
}

/**
 * Lays out `ops` invocations over `clients` concurrent clients: each client invokes, waits
 * for its op to complete, thinks briefly, and goes again. Durations vary, so ops overlap.
 */
function planOps(
  opts: SyntheticOptions,
  random: () => number,
  pick: (client: number) => { f: string; key?: string; arg: unknown },
): PlannedOp[] {
  const clients = Math.max(1, opts.clients);
  const infoEvery = opts.infoOps && opts.infoOps > 0 ? opts.ops / opts.infoOps : Infinity;
  const clock = Array.from({ length: clients }, () => random() * 2);
  const processOf = Array.from({ length: clients }, (_, c) => c);
  let nextProcess = clients;
  const planned: PlannedOp[] = [];
  for (let i = 0; i < opts.ops; i++) {
    // The client that is free first goes next, so the load stays at `clients` ops in flight.
    let client = 0;
    for (let c = 1; c < clients; c++) if (clock[c]! < clock[client]!) client = c;
    const invokeAt = clock[client]!;
    const duration = 1 + random() * 9;
    const info = Math.floor((i + 1) / infoEvery) > Math.floor(i / infoEvery);
    const { f, key, arg } = pick(client);
    const op: PlannedOp = {
      client,
      process: processOf[client]!,
      invokeAt,
      effectAt: invokeAt + random() * duration,
      completeAt: invokeAt + duration,
      f,
      arg,
      info,
      happens: random() < 0.5,
    };
    if (key !== undefined) op.key = key;
    planned.push(op);
    clock[client] = op.completeAt + random() * 0.5;
    if (info) processOf[client] = nextProcess++; // Jepsen retires a crashed process id
  }
  return planned;
}

function corruptOneRead(planned: PlannedOp[], wrong: (value: unknown) => unknown): void {
  const reads = planned.filter((o) => (o.f === 'read' || o.f === 'get') && o.outcome === 'ok');
  const victim = reads[Math.floor(reads.length * 0.8)];
  if (victim) victim.result = wrong(victim.result);
}

function toHistory(planned: PlannedOp[]): Op[] {
  const events: { at: number; order: number; op: PlannedOp; type: OpType }[] = [];
  planned.forEach((op, i) => {
    events.push({ at: op.invokeAt, order: 2 * i, op, type: 'invoke' });
    if (op.outcome !== undefined) events.push({ at: op.completeAt, order: 2 * i + 1, op, type: op.outcome });
  });
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  return events.map(({ at, op, type }, index) => {
    const value = type === 'invoke' ? (op.f === 'read' || op.f === 'get' ? null : op.arg) : type === 'info' ? op.arg : op.result;
    const out: Op = { index, time: Math.round(at * 1e6), process: op.process, type, f: op.f, value };
    if (op.key !== undefined) out.key = op.key;
    return out;
  });
}
