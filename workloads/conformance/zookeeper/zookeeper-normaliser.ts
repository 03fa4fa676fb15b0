import { errorCodeName, eventTypeName, keeperStateName, opCodeName, Perms, type Stat } from '../../../protocols/zookeeper/index.js';
import type { JsonValue, TranscriptEntry } from '../conformance-result.js';
import type { EventView, MultiResultView, StepResult } from './step-result.js';

/**
 * Makes two servers' answers to the same scenario comparable (the zetcd cross-check rules,
 * sharpened):
 * - zxids become ranks `z1, z2, ...` among the distinct positive zxids the scenario saw, so
 *   equal zxids stay equal and order is kept (`mzxid > czxid` survives) while the absolute
 *   values (history, epochs) drop out; 0 and -1 stay as they are;
 * - times are masked, keeping only whether mtime equals ctime;
 * - session ids and ephemeralOwner become the scenario's session names;
 * - children, getEphemerals and whoAmI lists are sorted (servers return hash order);
 * - four-letter-word replies keep their line keys and words, numbers become `#`.
 */
export function normaliseTranscript(
  results: readonly StepResult[],
  sessionNameOf: (id: bigint) => string | undefined,
  ignored: (step: number) => readonly string[] = () => [],
): TranscriptEntry[] {
  const ranks = zxidRanks(results, ignored);
  const n = new Normaliser(ranks, sessionNameOf);
  return results.map((r) => ({ step: r.step, label: r.label, value: withoutFields(n.step(r), ignored(r.step)) }));
}

/** Drops `a.b.c`-style paths (a step's `diffIgnore`) from a normalised value. */
function withoutFields(value: JsonValue, paths: readonly string[]): JsonValue {
  if (paths.length === 0) return value;
  const copy = structuredClone(value);
  for (const path of paths) {
    const keys = path.split('.');
    let node: JsonValue | undefined = copy;
    for (const key of keys.slice(0, -1)) node = node && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
    if (node && typeof node === 'object' && !Array.isArray(node)) delete node[keys[keys.length - 1]!];
  }
  return copy;
}

/** Ranks of the zxids a transcript shows; fields a step ignores do not count, so they cannot shift the others. */
function zxidRanks(results: readonly StepResult[], ignored: (step: number) => readonly string[]): Map<bigint, number> {
  const seen = new Set<bigint>();
  const add = (z: bigint | undefined) => {
    if (z !== undefined && z > 0n) seen.add(z);
  };
  const addStat = (s: Stat | undefined, skip: readonly string[] = []) => {
    if (!s) return;
    for (const field of ['czxid', 'mzxid', 'pzxid'] as const) if (!skip.includes(`stat.${field}`) && !skip.includes('stat')) add(s[field]);
  };
  for (const r of results) {
    const skip = ignored(r.step);
    if (!skip.includes('zxid')) add(r.zxid);
    addStat(r.stat, skip);
    for (const m of r.results ?? []) addStat(m.stat);
    for (const events of Object.values(r.events)) for (const e of events) add(e.zxid);
  }
  const sorted = [...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(sorted.map((z, i) => [z, i + 1]));
}

class Normaliser {
  constructor(
    private readonly ranks: Map<bigint, number>,
    private readonly sessionNameOf: (id: bigint) => string | undefined,
  ) {}

  step(r: StepResult): JsonValue {
    if (r.skipped !== undefined) return { skipped: r.skipped };
    const out: Record<string, JsonValue> = {};
    if (r.err !== undefined) out.err = errorCodeName(r.err);
    if (r.zxid !== undefined) out.zxid = this.zxid(r.zxid);
    if (r.closed !== undefined) out.closed = r.closed;
    if (r.expired !== undefined) out.expired = r.expired;
    if (r.path !== undefined) out.path = r.path;
    if ('data' in r) out.data = data(r.data ?? null);
    if (r.stat !== undefined) out.stat = this.stat(r.stat);
    if (r.children !== undefined) out.children = [...r.children].sort();
    if (r.acl !== undefined) out.acl = r.acl.map((a) => ({ perms: permNames(a.perms), id: `${a.id.scheme}:${a.id.id}` }));
    if (r.ephemerals !== undefined) out.ephemerals = [...r.ephemerals].sort();
    if (r.count !== undefined) out.count = r.count;
    if (r.clientInfo !== undefined) out.clientInfo = r.clientInfo.map((c) => `${c.authScheme}:${c.user}`).sort();
    if (r.results !== undefined) out.results = r.results.map((m) => this.multiResult(m));
    if (r.text !== undefined) out.text = maskFourLetterWordReply(r.text);
    if (r.timeOut !== undefined) out.timeOut = r.timeOut;
    if (r.sessionId !== undefined) out.sessionId = this.session(r.sessionId);
    if (r.readOnlyByte !== undefined) out.readOnlyByte = r.readOnlyByte;
    if (r.bodyHex !== undefined) out.bodyHex = r.bodyHex;
    if (r.decodeError !== undefined) out.decodeError = r.decodeError;
    const events: Record<string, JsonValue> = {};
    for (const [name, list] of Object.entries(r.events).sort(([a], [b]) => a.localeCompare(b))) events[name] = list.map((e) => this.event(e));
    out.events = events;
    return out;
  }

  zxid(z: bigint): JsonValue {
    if (z <= 0n) return Number(z);
    return `z${this.ranks.get(z)}`;
  }

  session(id: bigint): JsonValue {
    if (id === 0n) return 'none';
    const name = this.sessionNameOf(id);
    return name === undefined ? 'session:unknown' : `session:${name}`;
  }

  stat(s: Stat): JsonValue {
    return {
      czxid: this.zxid(s.czxid),
      mzxid: this.zxid(s.mzxid),
      pzxid: this.zxid(s.pzxid),
      ctime: 'masked',
      // Only a never-modified node pins mtime to ctime; after a write within the same
      // millisecond mtime may still equal ctime, so that case is folded into >=.
      mtime: s.mzxid === s.czxid ? (s.mtime === s.ctime ? '=ctime' : '!=ctime') : s.mtime >= s.ctime ? '>=ctime' : '<ctime',
      version: s.version,
      cversion: s.cversion,
      aversion: s.aversion,
      ephemeralOwner: this.session(s.ephemeralOwner),
      dataLength: s.dataLength,
      numChildren: s.numChildren,
    };
  }

  multiResult(m: MultiResultView): JsonValue {
    const out: Record<string, JsonValue> = m.err !== undefined ? { err: errorCodeName(m.err) } : { op: opCodeName(m.op!) };
    if (m.path !== undefined) out.path = m.path;
    if (m.stat !== undefined) out.stat = this.stat(m.stat);
    if ('data' in m) out.data = data(m.data ?? null);
    if (m.children !== undefined) out.children = [...m.children].sort();
    return out;
  }

  event(e: EventView): JsonValue {
    const out: Record<string, JsonValue> = { type: eventTypeName(e.type), path: e.path, state: keeperStateName(e.state), zxid: this.zxid(e.zxid) };
    if (e.beforeReply !== undefined) out.beforeReply = e.beforeReply;
    return out;
  }
}

/** UTF-8 text when the bytes are printable text, else hex. */
function data(d: Buffer | null): JsonValue {
  if (d === null) return null;
  const text = d.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(d) && !/[\u0000-\u0008\u000e-\u001f]/.test(text)) return d.length > 256 ? { size: d.length, sha: digestOf(d) } : text;
  return { hex: d.length > 256 ? digestOf(d) : d.toString('hex') };
}

function digestOf(d: Buffer): string {
  let h = 0;
  for (const b of d) h = (h * 31 + b) >>> 0;
  return h.toString(16);
}

const permOrder: [keyof typeof Perms, number][] = [
  ['READ', Perms.READ],
  ['WRITE', Perms.WRITE],
  ['CREATE', Perms.CREATE],
  ['DELETE', Perms.DELETE],
  ['ADMIN', Perms.ADMIN],
];

export function permNames(perms: number): string {
  if (perms === Perms.ALL) return 'ALL';
  const names: string[] = permOrder.filter(([, bit]) => (perms & bit) !== 0).map(([n]) => n);
  const unknown = perms & ~Perms.ALL;
  if (unknown) names.push(String(unknown));
  return names.length ? names.join('|') : '0';
}

/**
 * `Zookeeper version: 3.9.5-abc, built on ...` → `Zookeeper version: #`; words without digits
 * (`Mode: standalone`, `imok`, refusal texts) are kept.
 */
export function maskFourLetterWordReply(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const kv = /^([^:]+):\s*(.*)$/.exec(line);
      if (kv && !/^\s/.test(line)) return /^[A-Za-z-]*$/.test(kv[2]!) ? `${kv[1]}: ${kv[2]}` : `${kv[1]}: #`;
      return line.replace(/\d+(?:\.\d+)*/g, '#');
    })
    .join('\n');
}
