import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { consumerAssignment, consumerSubscription, decodeConsumerAssignment, decodeConsumerSubscription } from '../../../protocols/kafka/consumer-protocol.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { KafkaConnectionError, KafkaResponseError } from './client-errors.js';
import { type AssignorName, assignorNames, assignPartitions } from './group-member-assignors.js';
import { BrokerRotation } from './group-member-brokers.js';
import { bounded, WakeableSleep } from './group-member-timing.js';
import type { KafkaClient } from './kafka-client.js';
import { KafkaConnection } from './kafka-connection.js';

export interface GroupMemberOptions {
  /** Connected client: its broker list is where the coordinator is looked up; the caller closes it. */
  client: KafkaClient;
  groupId: string;
  /** The one topic this member subscribes to. */
  topic: string;
  clientId?: string;
  /** The coordinator drops a member that sends no heartbeat for this long (default 10 s). */
  sessionTimeoutMs?: number;
  /** How long the coordinator waits for every member to rejoin in a rebalance (default 10 s). */
  rebalanceTimeoutMs?: number;
  /** Time between heartbeats (default 500 ms). */
  heartbeatIntervalMs?: number;
  /** Bound on every request but JoinGroup and SyncGroup (default 5 s). */
  requestTimeoutMs?: number;
  /** Assignors offered, preferred first (default range, roundrobin). */
  assignors?: readonly AssignorName[];
  /** Called on every generation this member joins, with its assignment. */
  onGeneration?: (g: Generation) => void;
  /** Diagnostics (coordinator changes, rejoins, errors). */
  log?: (message: string) => void;
}

/** One group generation as this member saw it. */
export interface Generation {
  generationId: number;
  memberId: string;
  leader: boolean;
  /** The assignor the coordinator chose. */
  protocol: string;
  /** Partitions of the topic assigned to this member, ascending. */
  partitions: number[];
  /** Committed offset per assigned partition when the generation began; absent = none committed. */
  committed: Map<number, number>;
}

/** Errors after which the member must join again under a new member id. */
const memberResetCodes = new Set<number>([ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.FENCED_INSTANCE_ID]);
/** Errors after which the member must join again (keeping its member id). */
const rejoinCodes = new Set<number>([ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION]);
/** Errors that mean: find the coordinator again. */
const coordinatorCodes = new Set<number>([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS]);
/** Errors no retry fixes: the member stops and says why. */
const fatalCodes = new Set<number>([
  ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
  ErrorCode.GROUP_AUTHORIZATION_FAILED,
  ErrorCode.GROUP_MAX_SIZE_REACHED,
  ErrorCode.INVALID_SESSION_TIMEOUT,
  ErrorCode.INVALID_GROUP_ID,
]);

/** The OffsetFetch version with one group and named topics (v8 switched to a list of groups). */
const OFFSET_FETCH_VERSION_CAP = 7;
/** The OffsetCommit version with named topics (v10 names topics by id). */
const OFFSET_COMMIT_VERSION_CAP = 8;
/** FindCoordinator v4 batches keys; one group needs v3's single key. */
const FIND_COORDINATOR_VERSION_CAP = 3;
const METADATA_VERSION_CAP = 12;

/**
 * A member of a classic-protocol consumer group (protocol type "consumer"), the part of the
 * Java consumer's `ConsumerCoordinator` a queue workload needs: FindCoordinator, JoinGroup
 * (v4+: the first join is answered MEMBER_ID_REQUIRED with an id to join again with),
 * SyncGroup (the leader computes every member's share with a range or round-robin assignor
 * over the topic's partitions from Metadata), OffsetFetch of the assigned partitions,
 * heartbeats, OffsetCommit fenced by generation and member id, and LeaveGroup on close.
 *
 * One background loop does all of it, so joins never race each other: it joins when needed,
 * then sends a heartbeat every interval until the coordinator says to rejoin. Rebalances are
 * eager, as the Java consumer's classic protocol: once a rejoin starts this member owns
 * nothing until the new generation's assignment arrives. A coordinator that fails, moves or
 * stops answering is looked up again (with backoff) and the generation is kept, so a member
 * whose session survived carries on; one that was dropped learns it from the new
 * coordinator (UNKNOWN_MEMBER_ID) and joins again. Every request is bounded.
 */
export class GroupMember {
  private readonly sessionTimeoutMs: number;
  private readonly rebalanceTimeoutMs: number;
  private readonly heartbeatIntervalMs: number;
  private readonly requestTimeoutMs: number;
  private readonly assignors: readonly AssignorName[];
  private readonly brokers: BrokerRotation;
  private readonly sleeper = new WakeableSleep();
  private memberId = '';
  private current: Generation | null = null;
  private rejoinNeeded = true;
  private coordinator: KafkaConnection | null = null;
  private closed = false;
  private fatal: Error | null = null;
  private loop: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly o: GroupMemberOptions) {
    this.sessionTimeoutMs = o.sessionTimeoutMs ?? 10_000;
    this.rebalanceTimeoutMs = o.rebalanceTimeoutMs ?? 10_000;
    this.heartbeatIntervalMs = o.heartbeatIntervalMs ?? 500;
    this.requestTimeoutMs = o.requestTimeoutMs ?? 5000;
    this.assignors = o.assignors ?? assignorNames;
    if (this.assignors.length === 0) throw new Error('a group member needs at least one assignor');
    this.brokers = new BrokerRotation(o.client, this.requestTimeoutMs);
  }

  /** Starts joining in the background; `generation` is null until the first assignment arrives. */
  start(): void {
    if (this.loop || this.closed) return;
    this.loop = this.run();
  }

  /** The generation this member is in, or null while it is joining (it then owns nothing). */
  get generation(): Generation | null {
    return this.current;
  }

  /** Why the member stopped for good (a fatal group error), or null. */
  get failure(): Error | null {
    return this.fatal;
  }

  /** Waits (at most `timeoutMs`) until the member is in a generation other than `after`. */
  async joined(timeoutMs: number, after: Generation | null = null): Promise<Generation> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.fatal) throw this.fatal;
      if (this.closed) throw new KafkaConnectionError(`group member of ${this.o.groupId} is closed`);
      const g = this.current;
      if (g && g !== after) return g;
      const left = deadline - Date.now();
      if (left <= 0) throw new KafkaConnectionError(`group member of ${this.o.groupId} did not join within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  /**
   * Commits `offsets` (partition → next offset to read) as generation `g`'s. Throws
   * KafkaResponseError when the coordinator refuses (ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS,
   * UNKNOWN_MEMBER_ID: the group moved on, and the member rejoins) and KafkaConnectionError
   * when it cannot be reached or does not answer within `timeoutMs`.
   */
  async commit(g: Generation, offsets: ReadonlyMap<number, number>, timeoutMs: number): Promise<void> {
    if (offsets.size === 0) return;
    const conn = this.coordinator;
    if (!conn || conn.closed) throw new KafkaConnectionError(`no coordinator connection for group ${this.o.groupId}`);
    const version = conn.versionFor(KafkaApis.OffsetCommit, OFFSET_COMMIT_VERSION_CAP);
    const res = await bounded(
      conn.request(
        KafkaApis.OffsetCommit,
        {
          groupId: this.o.groupId,
          generationIdOrMemberEpoch: g.generationId,
          memberId: g.memberId,
          topics: [
            {
              name: this.o.topic,
              partitions: [...offsets].map(([partitionIndex, offset]) => ({ partitionIndex, committedOffset: BigInt(offset), committedMetadata: '' })),
            },
          ],
        },
        version,
      ),
      timeoutMs,
      `OffsetCommit for group ${this.o.groupId}`,
    );
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode === 0) continue;
        const err = new KafkaResponseError(p.errorCode, `committing ${this.o.topic}-${p.partitionIndex} for group ${this.o.groupId} generation ${g.generationId}`);
        this.react(err, g);
        throw err;
      }
    }
  }

  /** Stops the loop, leaves the group (bounded) and clears every timer. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.current = null;
    this.sleeper.wake();
    this.notify();
    const conn = this.coordinator;
    this.coordinator = null;
    // Closing ends a JoinGroup in flight; a broker reads one request per connection at a time,
    // so a LeaveGroup behind a parked JoinGroup would wait for the whole rebalance.
    conn?.close();
    if (this.memberId !== '' && conn) {
      // Leaving lets the coordinator rebalance the others at once instead of after the session timeout.
      await bounded(this.leave(conn.host, conn.port), this.requestTimeoutMs, `LeaveGroup for group ${this.o.groupId}`).then(
        () => this.log('left the group'),
        (err: unknown) => this.log(`LeaveGroup failed (the coordinator drops the member after its session): ${(err as Error).message}`),
      );
    }
    // A JoinGroup in flight ends with the connection; the loop then sees `closed`. A lookup
    // under way (brokers paused) ends with its own bound or when the caller closes the client.
    if (this.loop) await bounded(this.loop, this.requestTimeoutMs, 'group member loop').catch(() => {});
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        const coord = await this.coordinatorConnection();
        if (this.rejoinNeeded || !this.current) await this.joinAndSync(coord);
        failures = 0;
        await this.sleeper.sleep(this.heartbeatIntervalMs);
        if (this.closed || this.rejoinNeeded || !this.current) continue;
        await this.heartbeat(coord, this.current);
      } catch (err) {
        if (this.closed) break;
        this.react(err, this.current);
        if (this.fatal) break;
        failures++;
        // Backoff: 100 ms doubling to 2 s, so a dead cluster costs a few requests a second.
        await this.sleeper.sleep(Math.min(2000, 100 * 2 ** Math.min(failures - 1, 5)));
      }
    }
    this.notify();
  }

  /** What an error means for the member's state (see the code sets above). */
  private react(err: unknown, during: Generation | null): void {
    if (err instanceof KafkaResponseError) {
      const code = err.errorCode;
      if (coordinatorCodes.has(code)) {
        if (!this.coordinator) this.log(err.message);
        this.dropCoordinator(err.message);
      } else if (memberResetCodes.has(code)) {
        this.log(`${err.errorName}: joining again as a new member`);
        if (during === null || during === this.current) this.memberId = '';
        this.requestRejoin(during);
      } else if (rejoinCodes.has(code)) {
        this.requestRejoin(during);
      } else if (fatalCodes.has(code)) {
        this.fatal = err;
        this.current = null;
        this.notify();
      } else {
        this.log(err.message);
      }
      return;
    }
    if (err instanceof KafkaConnectionError) {
      if (!this.coordinator) this.log(err.message);
      this.dropCoordinator(err.message);
      return;
    }
    this.log(`unexpected: ${(err as Error)?.message ?? String(err)}`);
  }

  /**
   * Marks the generation `g` over (if it is still the current one) and wakes the loop to rejoin
   * at once. A failed join (`g` null) rejoins after the loop's backoff instead, so a coordinator
   * that keeps refusing is not asked again and again without pause.
   */
  private requestRejoin(g: Generation | null): void {
    if (g !== null && g !== this.current) return;
    this.rejoinNeeded = true;
    if (g !== null) this.sleeper.wake();
  }

  private dropCoordinator(reason: string): void {
    if (this.coordinator) this.log(`coordinator ${this.coordinator.address} dropped: ${reason}`);
    this.coordinator?.close();
    this.coordinator = null;
  }

  private async coordinatorConnection(): Promise<KafkaConnection> {
    if (this.coordinator && !this.coordinator.closed) return this.coordinator;
    const found = await this.brokers.request(`FindCoordinator for group ${this.o.groupId}`, async (conn) => {
      const version = conn.versionFor(KafkaApis.FindCoordinator, FIND_COORDINATOR_VERSION_CAP);
      const res = await conn.request(KafkaApis.FindCoordinator, { key: this.o.groupId, keyType: 0 }, version);
      if (res.errorCode !== 0) throw new KafkaResponseError(res.errorCode, `FindCoordinator for group ${this.o.groupId}`, res.errorMessage);
      return { host: res.host, port: res.port };
    });
    // JoinGroup and SyncGroup wait for the whole group, up to the rebalance timeout; the
    // other requests are bounded one by one (`bounded`).
    const connecting = KafkaConnection.connect({
      ...found,
      clientId: this.o.clientId,
      connectTimeoutMs: this.requestTimeoutMs,
      requestTimeoutMs: this.rebalanceTimeoutMs + this.requestTimeoutMs,
    });
    const conn = await bounded(connecting, this.requestTimeoutMs, `connecting to coordinator ${found.host}:${found.port}`, () => {
      void connecting.then((c) => c.close(), () => {});
    });
    if (this.closed) {
      conn.close();
      throw new KafkaConnectionError('closed');
    }
    this.coordinator = conn;
    return conn;
  }

  private async joinAndSync(coord: KafkaConnection): Promise<void> {
    // Eager rebalance: from here on this member owns nothing until the new assignment.
    this.rejoinNeeded = false;
    this.current = null;
    const metadata = consumerSubscription([this.o.topic]);
    const joinVersion = coord.versionFor(KafkaApis.JoinGroup);
    let join;
    for (let attempt = 0; ; attempt++) {
      join = await coord.request(
        KafkaApis.JoinGroup,
        {
          groupId: this.o.groupId,
          sessionTimeoutMs: this.sessionTimeoutMs,
          rebalanceTimeoutMs: this.rebalanceTimeoutMs,
          memberId: this.memberId,
          protocolType: 'consumer',
          protocols: this.assignors.map((name) => ({ name, metadata })),
        },
        joinVersion,
      );
      // v4+: a new member is given its id and joins again with it (KIP-394).
      if (join.errorCode === ErrorCode.MEMBER_ID_REQUIRED && attempt === 0) {
        this.memberId = join.memberId;
        this.log('MEMBER_ID_REQUIRED: joining again with the id the coordinator gave');
        continue;
      }
      break;
    }
    if (join.errorCode !== 0) {
      this.rejoinNeeded = true;
      if (join.errorCode === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = '';
      throw new KafkaResponseError(join.errorCode, `JoinGroup for group ${this.o.groupId}`);
    }
    this.memberId = join.memberId;
    const leader = join.leader === join.memberId;
    const protocol = join.protocolName ?? '';
    const assignments = leader ? await this.assign(protocol, join.members) : [];
    const sync = await coord.request(KafkaApis.SyncGroup, {
      groupId: this.o.groupId,
      generationId: join.generationId,
      memberId: this.memberId,
      protocolType: 'consumer',
      protocolName: protocol,
      assignments,
    });
    if (sync.errorCode !== 0) {
      this.rejoinNeeded = true;
      if (memberResetCodes.has(sync.errorCode)) this.memberId = '';
      throw new KafkaResponseError(sync.errorCode, `SyncGroup for group ${this.o.groupId} generation ${join.generationId}`);
    }
    const mine = decodeConsumerAssignment(sync.assignment)
      .partitions.filter((t) => t.topic === this.o.topic)
      .flatMap((t) => t.partitions)
      .sort((a, b) => a - b);
    const committed = await this.committedOffsets(coord, mine);
    if (this.closed || this.rejoinNeeded) return;
    const g: Generation = { generationId: join.generationId, memberId: this.memberId, leader, protocol, partitions: mine, committed };
    this.current = g;
    this.log(`generation ${g.generationId}: ${leader ? 'leader, ' : ''}partitions [${mine.join(',')}]`);
    this.o.onGeneration?.(g);
    this.notify();
  }

  /** The leader's SyncGroup assignments: the chosen assignor over the subscribed members. */
  private async assign(protocol: string, members: ReadonlyArray<{ memberId: string; metadata: Buffer }>): Promise<Array<{ memberId: string; assignment: Buffer }>> {
    const assignor = assignorNames.find((n) => n === protocol);
    if (!assignor) throw new KafkaResponseError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, `the coordinator chose assignor ${JSON.stringify(protocol)}, which this member does not implement`);
    const subscribed: string[] = [];
    for (const m of members) {
      try {
        if (decodeConsumerSubscription(m.metadata).topics.includes(this.o.topic)) subscribed.push(m.memberId);
      } catch {
        // A member whose subscription does not parse gets nothing, as a member of another topic.
      }
    }
    const partitionCount = await this.partitionCount();
    const shares = assignPartitions(assignor, subscribed, partitionCount);
    return members.map((m) => {
      const share = shares.get(m.memberId);
      return { memberId: m.memberId, assignment: consumerAssignment(share && share.length > 0 ? [{ topic: this.o.topic, partitions: share }] : []) };
    });
  }

  private partitionCount(): Promise<number> {
    return this.brokers.request(`Metadata of ${this.o.topic}`, async (conn) => {
      const version = conn.versionFor(KafkaApis.Metadata, METADATA_VERSION_CAP);
      const res = await conn.request(KafkaApis.Metadata, { topics: [{ name: this.o.topic }], allowAutoTopicCreation: false }, version);
      const t = res.topics.find((x) => x.name === this.o.topic);
      if (!t) throw new KafkaResponseError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Metadata of ${this.o.topic}`);
      if (t.errorCode !== 0) throw new KafkaResponseError(t.errorCode, `Metadata of ${this.o.topic}`);
      return t.partitions.length;
    });
  }

  /** Committed offsets of `partitions` (OffsetFetch): where this generation starts reading. */
  private async committedOffsets(coord: KafkaConnection, partitions: readonly number[]): Promise<Map<number, number>> {
    const committed = new Map<number, number>();
    if (partitions.length === 0) return committed;
    const version = coord.versionFor(KafkaApis.OffsetFetch, OFFSET_FETCH_VERSION_CAP);
    const res = await bounded(
      coord.request(KafkaApis.OffsetFetch, { groupId: this.o.groupId, topics: [{ name: this.o.topic, partitionIndexes: [...partitions] }], requireStable: false }, version),
      this.requestTimeoutMs,
      `OffsetFetch for group ${this.o.groupId}`,
      () => coord.close(),
    );
    if (res.errorCode !== 0) {
      this.rejoinNeeded = true;
      throw new KafkaResponseError(res.errorCode, `OffsetFetch for group ${this.o.groupId}`);
    }
    for (const t of res.topics) {
      if (t.name !== this.o.topic) continue;
      for (const p of t.partitions) {
        if (p.errorCode !== 0) {
          this.rejoinNeeded = true;
          throw new KafkaResponseError(p.errorCode, `OffsetFetch of ${this.o.topic}-${p.partitionIndex} for group ${this.o.groupId}`);
        }
        if (p.committedOffset >= 0n) committed.set(p.partitionIndex, Number(p.committedOffset));
      }
    }
    return committed;
  }

  private async heartbeat(coord: KafkaConnection, g: Generation): Promise<void> {
    const res = await bounded(
      coord.request(KafkaApis.Heartbeat, { groupId: this.o.groupId, generationId: g.generationId, memberId: g.memberId }),
      this.requestTimeoutMs,
      `Heartbeat for group ${this.o.groupId}`,
      () => coord.close(),
    );
    if (res.errorCode !== 0) throw new KafkaResponseError(res.errorCode, `Heartbeat for group ${this.o.groupId} generation ${g.generationId}`);
  }

  /** LeaveGroup on a connection of its own to the coordinator at `host:port`. */
  private async leave(host: string, port: number): Promise<void> {
    const conn = await KafkaConnection.connect({ host, port, clientId: this.o.clientId, connectTimeoutMs: this.requestTimeoutMs, requestTimeoutMs: this.requestTimeoutMs });
    try {
      const version = conn.versionFor(KafkaApis.LeaveGroup);
      const body = version >= 3 ? { groupId: this.o.groupId, members: [{ memberId: this.memberId, reason: 'the kzbench member is closing' }] } : { groupId: this.o.groupId, memberId: this.memberId };
      const res = await conn.request(KafkaApis.LeaveGroup, body, version);
      const code = res.errorCode || (res.members?.find((m) => m.errorCode !== 0)?.errorCode ?? 0);
      if (code !== 0) throw new KafkaResponseError(code, `LeaveGroup for group ${this.o.groupId}`);
    } finally {
      conn.close();
    }
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private log(message: string): void {
    this.o.log?.(`group ${this.o.groupId} member ${this.memberId || '(new)'}: ${message}`);
  }
}
