import { Code, KeeperError } from '../keeper-error.js';
import { CONTAINER_EPHEMERAL_OWNER } from '../tree/ephemeral-type.js';
import type { Clock } from './clock.js';
import { ExpiryQueue } from './expiry-queue.js';

export interface Session {
  readonly id: bigint;
  timeout: number;
  closing: boolean;
  /** The connection currently attached; requests from any other owner get SESSIONMOVED. */
  owner: object | null;
}

const MASK64 = (1n << 64n) - 1n;

/** Apache's `initializeNextSessionId`: server id in the top byte, 40 bits of the clock below, 16 zero bits. */
export function initialSessionId(serverId: number, nowMs: number): bigint {
  let sid = ((BigInt(nowMs) << 24n) & MASK64) >> 8n;
  sid |= (BigInt(serverId) & 0xffn) << 56n;
  sid = BigInt.asIntN(64, sid);
  if (sid === CONTAINER_EPHEMERAL_OWNER) sid++;
  return sid;
}

/**
 * Apache's `SessionTrackerImpl`: sessions by id with tickTime-bucketed expiry. Expiry is
 * driven by a timer that wakes at each bucket; `onExpire` decides what closing means.
 */
export class SessionTracker {
  private readonly sessions = new Map<bigint, Session>();
  private readonly queue: ExpiryQueue<Session>;
  private nextSessionId: bigint;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly tickTime: number,
    serverId: number,
    private readonly clock: Clock,
    private readonly onExpire: (session: Session) => void,
  ) {
    this.queue = new ExpiryQueue(tickTime, () => clock.elapsed());
    this.nextSessionId = initialSessionId(serverId, clock.elapsed());
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (!this.running) return;
    const wait = this.queue.waitTime();
    this.timer = setTimeout(() => this.expireDue(), Math.max(wait, 1));
    this.timer.unref();
  }

  /** Expires every session whose bucket is due; runs from the timer (and from tests). */
  expireDue(): void {
    this.timer = null;
    while (this.queue.waitTime() === 0) {
      for (const session of this.queue.poll()) {
        session.closing = true;
        this.onExpire(session);
      }
    }
    this.schedule();
  }

  createSession(timeout: number): bigint {
    const id = this.nextSessionId;
    this.nextSessionId = BigInt.asIntN(64, this.nextSessionId + 1n);
    this.trackSession(id, timeout);
    return id;
  }

  /** Adds a session (new, or restored from disk) and starts its expiry clock. */
  trackSession(id: bigint, timeout: number): boolean {
    let session = this.sessions.get(id);
    const added = session === undefined;
    if (session === undefined) {
      session = { id, timeout, closing: false, owner: null };
      this.sessions.set(id, session);
    }
    this.queue.update(session, session.timeout);
    return added;
  }

  touchSession(id: bigint, timeout: number): boolean {
    const session = this.sessions.get(id);
    if (session === undefined || session.closing) return false;
    session.timeout = timeout;
    this.queue.update(session, timeout);
    return true;
  }

  /** Any request counts as a heartbeat. */
  touch(id: bigint): void {
    const session = this.sessions.get(id);
    if (session !== undefined && !session.closing) this.queue.update(session, session.timeout);
  }

  checkSession(id: bigint, owner: object): void {
    const session = this.sessions.get(id);
    if (session === undefined) throw new KeeperError(Code.UNKNOWNSESSION);
    if (session.closing) throw new KeeperError(Code.SESSIONEXPIRED);
    if (session.owner === null) session.owner = owner;
    else if (session.owner !== owner) throw new KeeperError(Code.SESSIONMOVED);
  }

  /** Ephemeral creation needs a live global session: an unknown one reads as expired. */
  checkGlobalSession(id: bigint, owner: object): void {
    try {
      this.checkSession(id, owner);
    } catch (err) {
      if (err instanceof KeeperError && err.code === Code.UNKNOWNSESSION) throw new KeeperError(Code.SESSIONEXPIRED);
      throw err;
    }
  }

  setOwner(id: bigint, owner: object | null): void {
    const session = this.sessions.get(id);
    if (session === undefined || session.closing) throw new KeeperError(Code.SESSIONEXPIRED);
    session.owner = owner;
  }

  setSessionClosing(id: bigint): void {
    const session = this.sessions.get(id);
    if (session !== undefined) session.closing = true;
  }

  removeSession(id: bigint): void {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    if (session !== undefined) this.queue.remove(session);
  }

  get(id: bigint): Session | undefined {
    return this.sessions.get(id);
  }

  isTracking(id: bigint): boolean {
    return this.sessions.has(id);
  }

  get count(): number {
    return this.sessions.size;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** Sessions grouped by the bucket they expire in (for `dump` and `/commands/dump`). */
  expiryBuckets(): Array<[number, bigint[]]> {
    return this.queue.buckets().map(([t, ss]) => [t, ss.map((s) => s.id)]);
  }

  get tick(): number {
    return this.tickTime;
  }
}
