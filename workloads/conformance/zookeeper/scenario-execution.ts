import { setTimeout as sleep } from 'node:timers/promises';
import { OpCode, type RequestBody, type RequestType } from '../../../protocols/zookeeper/index.js';
import type { HostAddress } from '../../clients/zookeeper/connect-string.js';
import { fourLetterWord } from '../../launchers/zookeeper-health.js';
import { addWatchModes, dataBytes, aclOf, watcherTypes, type RequestBuilder } from './request-builder.js';
import type { SessionDecl, Step } from './scenario-schema.js';
import { isClosed, ScenarioSession, type RequestOutcome } from './scenario-session.js';
import { applyReply, type EventView, type StepResult } from './step-result.js';

/** A named session of a scenario: its declaration and, while open, its connection. */
export interface SessionSlot {
  decl: SessionDecl;
  conn: ScenarioSession | null;
  /** The session id the server gave (kept after the connection ends, for ephemeralOwner). */
  id?: bigint;
  password?: Buffer;
}

export interface ExecutionContext {
  address: HostAddress;
  paths: RequestBuilder;
  /** The target's tick, for waiting out session expiry. */
  tickMs: number;
}

const DEFAULT_SESSION_TIMEOUT = 30_000;
const CLOSE_WAIT_MS = 3000;
const EXPIRY_ROUNDS = 4;

/**
 * Runs the steps of one scenario against one server: sends each step's request on its
 * session, then lets every open session catch up (a `sync` round trip, after which every
 * notification the step caused has arrived, since a server writes a session's notifications
 * and replies in order) and records what each session saw.
 */
export class ScenarioExecution {
  readonly sessions = new Map<string, SessionSlot>();

  constructor(
    decls: SessionDecl[],
    private readonly ctx: ExecutionContext,
  ) {
    for (const decl of decls) this.sessions.set(decl.name, { decl, conn: null });
  }

  /** Connects the sessions that start connected, in declaration order. */
  async open(): Promise<void> {
    for (const slot of this.sessions.values()) {
      if (slot.decl.connect === false) continue;
      const outcome = await this.connect(slot, {});
      if ('closed' in outcome) throw new Error(`session ${slot.decl.name} could not connect to ${this.ctx.address.host}:${this.ctx.address.port}: ${outcome.reason ?? 'connection closed'}`);
    }
  }

  /** closeSession on every open session (their ephemerals go at once). */
  async close(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map(async (slot) => {
        const conn = slot.conn;
        if (!conn || conn.closed) return;
        await conn.request(OpCode.closeSession, undefined);
        await conn.waitClosed(CLOSE_WAIT_MS);
        if (!conn.closed) await conn.dropConnection();
      }),
    );
  }

  /** Session name of a session id, for ephemeralOwner and connect replies. */
  sessionNameOf(id: bigint): string | undefined {
    for (const [name, slot] of this.sessions) if (slot.id === id) return name;
    return undefined;
  }

  sessionIdOf(name: string): bigint | undefined {
    return this.sessions.get(name)?.id;
  }

  async run(step: Step, index: number, label: string, acting: string): Promise<StepResult> {
    const result: StepResult = { step: index, op: step.op, label, events: {} };
    const slot = this.sessions.get(acting)!;
    if (step.op !== 'fourLetterWord') result.session = acting;
    let replyIndex = Number.POSITIVE_INFINITY;
    switch (step.op) {
      case 'fourLetterWord':
        result.text = await fourLetterWord(this.ctx.address.host, this.ctx.address.port, step.word, 10_000).catch((e: Error) => `(connection failed: ${e.message})`);
        break;
      case 'connect':
        await this.connectStep(step, slot, result);
        break;
      case 'expire':
        await this.expire(slot, result);
        break;
      default: {
        const conn = slot.conn;
        if (!conn || conn.closed) {
          result.closed = true;
          break;
        }
        const outcome = await this.send(conn, step);
        if (isClosed(outcome)) {
          result.closed = true;
          break;
        }
        applyReply(result, outcome, this.ctx.paths);
        replyIndex = outcome.replyIndex;
        // The server closes the connection after these replies; wait for it so `closed` is exact.
        if (step.op === 'close' || (step.op === 'auth' && outcome.err !== 0)) await conn.waitClosed(CLOSE_WAIT_MS);
      }
    }
    await this.settle();
    for (const [name, s] of this.sessions) {
      const events = s.conn?.takeEvents() ?? [];
      if (events.length === 0) continue;
      result.events[name] = events.map((e) => {
        const view: EventView = { type: e.type, state: e.state, path: this.ctx.paths.unroot(e.path), zxid: e.zxid };
        if (name === acting && step.op !== 'fourLetterWord') view.beforeReply = e.repliesBefore < replyIndex;
        return view;
      });
    }
    if (step.op !== 'fourLetterWord' && result.closed === undefined) result.closed = slot.conn?.closed ?? true;
    return result;
  }

  /** A sync round trip on every open session: afterwards each has received what was sent to it before. */
  private async settle(): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map(async (slot) => {
        if (slot.conn && !slot.conn.closed) await slot.conn.request(OpCode.sync, { path: '/' });
      }),
    );
  }

  private send(conn: ScenarioSession, step: Exclude<Step, { op: 'fourLetterWord' | 'connect' | 'expire' }>): Promise<RequestOutcome> {
    const paths = this.ctx.paths;
    const req = <K extends RequestType>(type: K, body: RequestBody<K>) => conn.request(type, body);
    switch (step.op) {
      case 'create':
      case 'create2': {
        const { type, body } = paths.create(step, step.op);
        return conn.request(type as RequestType, body as never);
      }
      case 'delete':
        return req(OpCode.delete, { path: paths.path(step), version: step.version ?? -1 });
      case 'exists':
        return req(OpCode.exists, { path: paths.path(step), watch: step.watch ?? false });
      case 'getData':
        return req(OpCode.getData, { path: paths.path(step), watch: step.watch ?? false });
      case 'setData':
        return req(OpCode.setData, { path: paths.path(step), data: dataBytes(step.data), version: step.version ?? -1 });
      case 'getACL':
        return req(OpCode.getACL, { path: paths.path(step) });
      case 'setACL':
        return req(OpCode.setACL, { path: paths.path(step), acl: aclOf(step.acl), version: step.version ?? -1 });
      case 'getChildren':
        return req(OpCode.getChildren, { path: paths.path(step), watch: step.watch ?? false });
      case 'getChildren2':
        return req(OpCode.getChildren2, { path: paths.path(step), watch: step.watch ?? false });
      case 'sync':
        return req(OpCode.sync, { path: paths.path(step) });
      case 'check':
        return req(OpCode.check, { path: paths.path(step), version: step.version });
      case 'multi':
        return req(OpCode.multi, { ops: step.ops.map((op) => paths.multiOp(op)) });
      case 'multiRead':
        return req(OpCode.multiRead, { ops: step.ops.map((op) => paths.multiOp(op)) });
      case 'addWatch':
        return req(OpCode.addWatch, { path: paths.path(step), mode: addWatchModes[step.mode] });
      case 'removeWatches':
        return req(OpCode.removeWatches, { path: paths.path(step), type: watcherTypes[step.watcherType] });
      case 'checkWatches':
        return req(OpCode.checkWatches, { path: paths.path(step), type: watcherTypes[step.watcherType] });
      case 'getEphemerals':
        return req(OpCode.getEphemerals, { prefixPath: paths.path(step) });
      case 'getAllChildrenNumber':
        return req(OpCode.getAllChildrenNumber, { path: paths.path(step) });
      case 'whoAmI':
        return req(OpCode.whoAmI, undefined);
      case 'auth':
        return conn.auth(step.scheme, Buffer.from(step.auth, 'utf8'));
      case 'close':
        return req(OpCode.closeSession, undefined);
      case 'raw':
        return conn.raw(step.opcode, Buffer.from(step.body ?? '', 'hex'));
    }
  }

  private async connect(
    slot: SessionSlot,
    opts: { session?: { id: bigint; password: Buffer }; lastZxidSeen?: bigint },
  ): Promise<{ session: ScenarioSession } | { closed: true; reason?: string }> {
    const outcome = await ScenarioSession.connect(this.ctx.address, {
      timeout: slot.decl.timeout ?? DEFAULT_SESSION_TIMEOUT,
      shortForm: slot.decl.shortConnect,
      readOnly: slot.decl.readOnly,
      ...opts,
    });
    if ('session' in outcome) {
      slot.conn = outcome.session;
      if (outcome.session.response.timeOut > 0) {
        slot.id ??= outcome.session.sessionId;
        slot.password ??= outcome.session.password;
      }
    }
    return outcome;
  }

  private async connectStep(step: Extract<Step, { op: 'connect' }>, slot: SessionSlot, result: StepResult): Promise<void> {
    if (slot.conn && !slot.conn.closed) await slot.conn.dropConnection();
    const other = step.reattach !== undefined ? this.sessions.get(step.reattach) : undefined;
    const session =
      other?.id !== undefined ? { id: other.id, password: step.badPassword ? Buffer.alloc(16, 7) : other.password! } : undefined;
    const lastZxidSeen = step.lastZxidSeen === 'ahead' ? 0x7fffffff00000000n : step.lastZxidSeen !== undefined ? BigInt(step.lastZxidSeen) : undefined;
    const outcome = await this.connect(slot, { ...(session ? { session } : {}), ...(lastZxidSeen !== undefined ? { lastZxidSeen } : {}) });
    if ('closed' in outcome) {
      result.closed = true;
      return;
    }
    const r = outcome.session.response;
    result.timeOut = r.timeOut;
    result.sessionId = r.sessionId;
    result.readOnlyByte = r.readOnly !== undefined;
    // A refused re-attach (timeOut 0) is followed by the server closing the connection.
    if (r.timeOut <= 0) await outcome.session.waitClosed(CLOSE_WAIT_MS);
  }

  /**
   * Drops the connection without closeSession, then waits until the server has expired the
   * session: after the timeout (plus two ticks of expiry-bucket rounding) it tries to
   * re-attach; a live session is re-attached (which touches it), so it drops and waits again.
   */
  private async expire(slot: SessionSlot, result: StepResult): Promise<void> {
    const conn = slot.conn;
    if (!conn || conn.closed || slot.id === undefined) {
      result.closed = true;
      return;
    }
    const timeout = conn.response.timeOut;
    await conn.dropConnection();
    for (let round = 0; round < EXPIRY_ROUNDS; round++) {
      await sleep(timeout + 2 * this.ctx.tickMs + 250);
      const probe = await ScenarioSession.connect(this.ctx.address, { timeout, session: { id: slot.id, password: slot.password! } });
      if ('closed' in probe) continue;
      const expired = probe.session.response.timeOut <= 0;
      await probe.session.dropConnection();
      if (expired) {
        result.expired = true;
        result.closed = true;
        slot.conn = null;
        return;
      }
    }
    result.expired = false;
    result.closed = true;
    slot.conn = null;
  }
}
