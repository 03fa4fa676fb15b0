import { ErrorCode, EventType, KeeperState, errorCodeName, eventTypeName, opCodeName, type ACL, type Stat } from '../../../protocols/zookeeper/index.js';
import type { z } from 'zod';
import { checkRelation, parseRelation, type Operand, type OperandResolver } from '../relation-expression.js';
import { resolveVersions } from '../by-version.js';
import { aclEntryOf, dataBytes } from './request-builder.js';
import type { AclEntrySpec, DataSpec, EventExpect, MultiResultExpect, ReplyExpect, StatExpect, Step } from './scenario-schema.js';
import type { EventView, MultiResultView, StepResult } from './step-result.js';

export { resolveVersions };

export interface CheckContext {
  /** The target's version, for `byVersion`. */
  version: string;
  /** Results of earlier steps by their `save:` name. */
  saved: ReadonlyMap<string, StepResult>;
  sessionIdOf(name: string): bigint | undefined;
  sessionNameOf(id: bigint): string | undefined;
}

/** Every way a step's observations differ from its expectations; empty when they hold. */
export function checkStep(step: Step, result: StepResult, ctx: CheckContext): string[] {
  const problems: string[] = [];
  let expect: ReplyExpect;
  let events: unknown;
  try {
    expect = (resolveVersions(step.expect ?? {}, ctx.version) ?? {}) as ReplyExpect;
    events = resolveVersions(step.expectEvents, ctx.version);
  } catch (e) {
    return [(e as Error).message];
  }
  checkReply(expect, result, ctx, problems);
  if (events !== 'any') checkEvents((events ?? {}) as Record<string, EventExpect[]>, result, ctx, problems);
  return problems;
}

function checkReply(expect: ReplyExpect, r: StepResult, ctx: CheckContext, problems: string[]): void {
  const fail = (what: string, expected: string, actual: string) => problems.push(`${what}: expected ${expected}, got ${actual}`);
  const expectClosed = (expect.closed as boolean | undefined) ?? false;
  if (r.op !== 'fourLetterWord' && (r.closed ?? false) !== expectClosed) {
    fail('connection', expectClosed ? 'closed' : 'open', r.closed ? 'closed' : 'open');
  }
  // A step whose connection is expected to close is not required to get a reply.
  const expectedErr = (expect.err as string | undefined) ?? (expectClosed || r.op === 'fourLetterWord' || r.op === 'connect' || r.op === 'expire' ? undefined : 'OK');
  if (expectedErr !== undefined) {
    const actual = r.err === undefined ? 'no reply (connection closed)' : errorCodeName(r.err);
    if (r.err !== ErrorCode[expectedErr as keyof typeof ErrorCode]) fail('err', expectedErr, actual);
  }
  if (r.decodeError) problems.push(`reply body did not decode: ${r.decodeError}`);
  const resolver = (record: Record<string, unknown> | undefined) => operandResolver(record, r, ctx);
  if (expect.zxid !== undefined) checkNumber('zxid', expect.zxid as number | string, r.zxid, resolver(undefined), problems);
  if (expect.path !== undefined && r.path !== expect.path) fail('path', String(expect.path), String(r.path));
  if (expect.data !== undefined) checkData('data', expect.data as z.infer<typeof DataSpec>, r, problems);
  if (expect.stat !== undefined) checkStat('stat', expect.stat as StatExpect, r.stat, r, ctx, problems);
  if (expect.children !== undefined) checkSet('children', expect.children as string[], r.children, problems);
  if (expect.ephemerals !== undefined) checkSet('ephemerals', expect.ephemerals as string[], r.ephemerals, problems);
  if (expect.acl !== undefined) {
    const want = (expect.acl as z.infer<typeof AclEntrySpec>[]).map((e) => describeAcl(aclEntryOf(e)));
    const got = r.acl?.map(describeAcl);
    if (got === undefined || want.join(', ') !== got.join(', ')) fail('acl', `[${want.join(', ')}]`, got ? `[${got.join(', ')}]` : 'no ACL');
  }
  if (expect.count !== undefined && r.count !== expect.count) fail('count', String(expect.count), String(r.count));
  if (expect.clientInfo !== undefined) {
    // A set: Apache keeps a connection's auth ids in a hash set, so their order means nothing.
    const want = (expect.clientInfo as { authScheme: string; user: string }[]).map((c) => `${c.authScheme}:${c.user}`);
    checkSet('clientInfo', want, r.clientInfo?.map((c) => `${c.authScheme}:${c.user}`), problems);
  }
  if (expect.results !== undefined) checkResults(expect.results as MultiResultExpect[], r, ctx, problems);
  if (expect.text !== undefined && r.text !== expect.text) fail('text', JSON.stringify(expect.text), JSON.stringify(r.text));
  if (expect.match !== undefined && !new RegExp(expect.match as string, 'm').test(r.text ?? '')) fail('text', `to match /${expect.match}/`, JSON.stringify(r.text));
  if (expect.keys !== undefined) {
    const got = lineKeys(r.text ?? '');
    if (got.join('|') !== (expect.keys as string[]).join('|')) fail('keys', `[${(expect.keys as string[]).join(', ')}]`, `[${got.join(', ')}]`);
  }
  if (expect.timeOut !== undefined) checkNumber('timeOut', expect.timeOut as number | string, r.timeOut === undefined ? undefined : BigInt(r.timeOut), resolver(undefined), problems);
  if (expect.sessionId !== undefined) {
    const want = expect.sessionId === 0 ? 0n : ctx.sessionIdOf(expect.sessionId);
    if (r.sessionId !== want) fail('sessionId', expect.sessionId === 0 ? '0' : `session ${expect.sessionId}`, r.sessionId === undefined ? 'none' : describeSession(r.sessionId, ctx));
  }
  if (expect.readOnlyByte !== undefined && r.readOnlyByte !== expect.readOnlyByte) fail('readOnlyByte', String(expect.readOnlyByte), String(r.readOnlyByte));
  if (expect.bodyHex !== undefined && r.bodyHex !== expect.bodyHex) fail('bodyHex', String(expect.bodyHex), String(r.bodyHex));
}

function checkResults(want: MultiResultExpect[], r: StepResult, ctx: CheckContext, problems: string[]): void {
  const got = r.results;
  if (got === undefined) {
    problems.push(`results: expected ${want.length} results, got none`);
    return;
  }
  if (got.length !== want.length) problems.push(`results: expected ${want.length} results, got ${got.length} (${got.map(describeResult).join(', ')})`);
  want.forEach((w, i) => {
    const g = got[i];
    if (!g) return;
    const at = `results[${i}]`;
    if (w.err !== undefined) {
      if (g.err !== ErrorCode[w.err]) problems.push(`${at}: expected error ${w.err}, got ${describeResult(g)}`);
      return;
    }
    if (g.err !== undefined) {
      problems.push(`${at}: expected ${w.op ?? 'a success'}, got ${describeResult(g)}`);
      return;
    }
    if (w.op !== undefined && opCodeName(g.op!) !== w.op) problems.push(`${at}: expected a ${w.op} result, got ${describeResult(g)}`);
    if (w.path !== undefined && g.path !== w.path) problems.push(`${at}.path: expected ${w.path}, got ${g.path}`);
    if (w.data !== undefined) checkData(`${at}.data`, w.data, g, problems);
    if (w.children !== undefined) checkSet(`${at}.children`, w.children, g.children, problems);
    if (w.stat !== undefined) checkStat(`${at}.stat`, w.stat, g.stat, r, ctx, problems);
  });
}

function checkEvents(want: Record<string, EventExpect[]>, r: StepResult, ctx: CheckContext, problems: string[]): void {
  const sessions = new Set([...Object.keys(want), ...Object.keys(r.events)]);
  for (const name of sessions) {
    const w = want[name] ?? [];
    const g = r.events[name] ?? [];
    const matches = w.length === g.length && w.every((e, i) => eventMatches(e, g[i]!, r, ctx).length === 0);
    if (matches) continue;
    const details = w.length === g.length ? w.flatMap((e, i) => eventMatches(e, g[i]!, r, ctx).map((m) => `[${i}] ${m}`)) : [];
    problems.push(
      `events of ${name}: expected [${w.map((e) => `${e.type} ${e.path}`).join(', ')}], got [${g.map(describeEvent).join(', ')}]${details.length ? ` (${details.join('; ')})` : ''}`,
    );
  }
}

function eventMatches(w: EventExpect, g: EventView, r: StepResult, ctx: CheckContext): string[] {
  const out: string[] = [];
  if (EventType[w.type as keyof typeof EventType] !== g.type) out.push(`type ${eventTypeName(g.type)} is not ${w.type}`);
  if (w.path !== g.path) out.push(`path ${g.path} is not ${w.path}`);
  const state = w.state ?? 'SyncConnected';
  if (KeeperState[state as keyof typeof KeeperState] !== g.state) out.push(`state ${g.state} is not ${state}`);
  if (w.zxid !== undefined) checkNumber('zxid', w.zxid as number | string, g.zxid, operandResolver(undefined, r, ctx), out);
  if (w.beforeReply !== undefined && g.beforeReply !== w.beforeReply) out.push(`it arrived ${g.beforeReply ? 'before' : 'after'} the reply`);
  return out;
}

const statFields = ['czxid', 'mzxid', 'ctime', 'mtime', 'version', 'cversion', 'aversion', 'dataLength', 'numChildren', 'pzxid'] as const;

function checkStat(what: string, want: StatExpect, got: Stat | undefined, r: StepResult, ctx: CheckContext, problems: string[]): void {
  if (got === undefined) {
    problems.push(`${what}: expected a Stat, got none`);
    return;
  }
  const record = got as unknown as Record<string, unknown>;
  for (const field of statFields) {
    const w = want[field];
    if (w === undefined) continue;
    checkNumber(`${what}.${field}`, w as number | string, toBigInt(record[field]), operandResolver(record, r, ctx), problems);
  }
  if (want.ephemeralOwner !== undefined) {
    const expected = want.ephemeralOwner === 0 ? 0n : ctx.sessionIdOf(want.ephemeralOwner);
    if (got.ephemeralOwner !== expected) {
      problems.push(`${what}.ephemeralOwner: expected ${want.ephemeralOwner === 0 ? '0' : `session ${want.ephemeralOwner}`}, got ${describeSession(got.ephemeralOwner, ctx)}`);
    }
  }
}

function checkNumber(what: string, want: number | string, got: bigint | undefined, resolve: OperandResolver, problems: string[]): void {
  if (got === undefined) {
    problems.push(`${what}: expected ${want}, got nothing`);
    return;
  }
  if (typeof want === 'number') {
    if (got !== BigInt(want)) problems.push(`${what}: expected ${want}, got ${got}`);
    return;
  }
  const why = checkRelation(parseRelation(want), got, resolve);
  if (why !== null) problems.push(`${what}: ${why}`);
}

function checkData(what: string, want: z.infer<typeof DataSpec>, got: { data?: Buffer | null }, problems: string[]): void {
  if (!('data' in got)) {
    problems.push(`${what}: expected data, got none`);
    return;
  }
  const expected = dataBytes(want);
  const actual = got.data ?? null;
  const same = expected === null || actual === null ? expected === actual : expected.equals(actual);
  if (!same) problems.push(`${what}: expected ${describeData(expected)}, got ${describeData(actual)}`);
}

function checkSet(what: string, want: string[], got: string[] | undefined, problems: string[]): void {
  const w = [...want].sort();
  const g = got ? [...got].sort() : undefined;
  if (g === undefined || w.join('\n') !== g.join('\n')) problems.push(`${what}: expected [${w.join(', ')}], got ${g ? `[${g.join(', ')}]` : 'none'}`);
}

/** `$zxid`, `$saved.path`, and sibling fields of `record`. */
function operandResolver(record: Record<string, unknown> | undefined, r: StepResult, ctx: CheckContext): OperandResolver {
  return (operand: Operand) => {
    if (operand.kind === 'literal') return operand.value;
    if (operand.kind === 'field') {
      const v = record ? toBigInt(record[operand.name]) : undefined;
      return v ?? { unresolved: `no field ${operand.name} here` };
    }
    if (operand.name === 'zxid' && operand.path.length === 0) return r.zxid ?? { unresolved: 'the step got no reply zxid' };
    const saved = ctx.saved.get(operand.name);
    if (!saved) return { unresolved: `no step saved as ${operand.name}` };
    let v: unknown = saved;
    for (const key of operand.path) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[key];
    return toBigInt(v) ?? { unresolved: `$${[operand.name, ...operand.path].join('.')} is not a number` };
  };
}

function toBigInt(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return undefined;
}

/** The `key` of each `key: value` line of a four-letter-word reply, in order. */
export function lineKeys(text: string): string[] {
  return text
    .split('\n')
    .map((l) => /^([^:\n]+):/.exec(l)?.[1]?.trim())
    .filter((k): k is string => k !== undefined);
}

export function describeAcl(acl: ACL): string {
  return `${acl.perms}:${acl.id.scheme}:${acl.id.id}`;
}

function describeData(d: Buffer | null): string {
  if (d === null) return 'null';
  if (d.length > 64) return `${d.length} bytes`;
  const text = d.toString('utf8');
  return Buffer.from(text, 'utf8').equals(d) && !/[\u0000-\u001f]/.test(text) ? JSON.stringify(text) : `hex ${d.toString('hex')}`;
}

function describeSession(id: bigint, ctx: CheckContext): string {
  if (id === 0n) return '0';
  const name = ctx.sessionNameOf(id);
  return name ? `session ${name}` : `0x${id.toString(16)}`;
}

function describeResult(r: MultiResultView): string {
  return r.err !== undefined ? `error ${errorCodeName(r.err)}` : `${opCodeName(r.op!)}${r.path ? ` ${r.path}` : ''}`;
}

function describeEvent(e: EventView): string {
  return `${eventTypeName(e.type)} ${e.path}`;
}
