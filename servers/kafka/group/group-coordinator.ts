import type { Logger } from '../../../common/logger.js';
import { guardedTimeout } from '../coordinator/background-work.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { ProducerStateError } from '../producer/producer-state-error.js';
import { ClassicGroup, type GroupState, topicPartitionKey } from './classic-group.js';
import { consumerGroupConfigFrom } from './consumer-group-config.js';
import { ConsumerGroupCoordinator } from './consumer-group-coordinator.js';
import type { ConsumerGroup } from './consumer-group.js';
import { type GroupMetadataStore, type OffsetToStore } from './group-metadata-store.js';
import { GroupMember, type GroupProtocol, type JoinGroupOutcome, type SyncGroupOutcome, joinError, syncError } from './group-member.js';

export interface GroupCoordinatorConfig {
  /** group.min.session.timeout.ms / group.max.session.timeout.ms */
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** group.max.size */
  maxSize: number;
  /** group.initial.rebalance.delay.ms */
  initialRebalanceDelayMs: number;
  /** offset.metadata.max.bytes */
  offsetMetadataMaxBytes: number;
}

/** A new member that never completes its first join is dropped after this long (Apache's NewMemberJoinTimeoutMs). */
const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

export interface JoinGroupParams {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  requireKnownMemberId: boolean;
  supportSkippingAssignment: boolean;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
}

export interface SyncGroupParams {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: Map<string, Buffer>;
}

export interface MemberIdentity {
  memberId: string;
  groupInstanceId: string | null;
}

export interface OffsetCommitParams {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  generationId: number;
  offsets: OffsetToStore[];
  /** The OffsetCommit version (consumer-protocol members must use v9+); absent for TxnOffsetCommit. */
  apiVersion?: number;
}

export interface OffsetFetchResult {
  topic: string;
  partition: number;
  offset: number;
  leaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface GroupSummary {
  errorCode: number;
  state: string;
  protocolType: string;
  protocolData: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; clientId: string; clientHost: string; metadata: Buffer; assignment: Buffer }>;
}

type GroupApi = 'JoinGroup' | 'SyncGroup' | 'Heartbeat' | 'LeaveGroup' | 'OffsetCommit' | 'OffsetFetch' | 'DescribeGroups' | 'DeleteGroups' | 'OffsetDelete' | 'TxnOffsetCommit';

/** APIs that accept the empty group id, for compatibility (Apache `isValidGroupId`). */
const EMPTY_GROUP_ID_ALLOWED = new Set<GroupApi>(['OffsetCommit', 'OffsetFetch', 'DescribeGroups', 'DeleteGroups']);

/**
 * The classic group coordinator, following Apache 3.9's GroupCoordinator: the JoinGroup /
 * SyncGroup rebalance protocol with its state machine (Empty, PreparingRebalance,
 * CompletingRebalance, Stable, Dead), dynamic members (MEMBER_ID_REQUIRED round trip) and
 * static members (group.instance.id), session timeouts, the rebalance timeout, the initial
 * rebalance delay, offset commits and fetches. Everything runs on the event loop and mutates
 * state synchronously; parked JoinGroup and SyncGroup requests are promises resolved when the
 * rebalance moves on. Apache's purgatories become timers on the group and its members.
 */
export class GroupCoordinator {
  private closed = false;
  /**
   * KIP-848 consumer groups. A group id is either a consumer group or a classic one; the
   * offsets of a consumer group still live in an (Empty) ClassicGroup of the store, so the
   * offset and transaction paths are shared. Requests are routed here when a consumer group
   * of that id exists.
   */
  readonly consumer: ConsumerGroupCoordinator;

  constructor(
    readonly store: GroupMetadataStore,
    private readonly config: GroupCoordinatorConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.consumer = new ConsumerGroupCoordinator(
      {
        appendRecords: (groupId, records, at) => store.appendRecords(groupId, records, at),
        hasLiveClassicGroup: (groupId) => {
          const g = store.get(groupId);
          return g !== undefined && !g.is('Empty') && !g.is('Dead');
        },
        ensureOffsetsHolder: (groupId, at) => {
          store.ensureTopic();
          store.add(new ClassicGroup(groupId, 'Empty', at));
        },
      },
      store.topicLookup,
      consumerGroupConfigFrom(store.brokerProperties),
      log,
      now,
      (err) => store.storageFailed(err),
    );
  }

  /** A timer's work: a disk error under storeGroup halts the broker, a bug is logged (coordinator/background-work.ts). */
  private timer(what: string, ms: number, work: () => void): NodeJS.Timeout {
    return guardedTimeout(what, ms, work, { log: this.log, storageFailed: (err) => this.store.storageFailed(err) });
  }

  /** After a load: members of stable groups must heartbeat within their session timeout again. */
  onGroupsLoaded(): void {
    this.consumer.replay(this.store.loadedConsumerGroupRecords);
    this.store.loadedConsumerGroupRecords = [];
    for (const group of this.store.groups.values()) {
      for (const m of group.members.values()) this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
    }
  }

  private validateGroupId(groupId: string, api: GroupApi): number | undefined {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (groupId.length === 0 && !EMPTY_GROUP_ID_ALLOWED.has(api)) return ErrorCode.INVALID_GROUP_ID;
    return undefined;
  }

  // ---------------------------------------------------------------- JoinGroup

  joinGroup(p: JoinGroupParams): Promise<JoinGroupOutcome> {
    return new Promise((resolve) => {
      const invalid = this.validateGroupId(p.groupId, 'JoinGroup');
      if (invalid !== undefined) return resolve(joinError(p.memberId, invalid));
      if (p.sessionTimeoutMs < this.config.minSessionTimeoutMs || p.sessionTimeoutMs > this.config.maxSessionTimeoutMs) {
        return resolve(joinError(p.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
      }
      // A consumer-protocol group with members is not joined by classic members (no mixed
      // groups); an empty one becomes classic again, its offsets kept.
      const consumerGroup = this.consumer.get(p.groupId);
      if (consumerGroup && consumerGroup.members.size > 0) return resolve(joinError(p.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
      if (consumerGroup) this.consumer.deleteGroup(consumerGroup, this.now());
      const isUnknownMember = p.memberId === '';
      let group = this.store.get(p.groupId);
      if (!group) {
        if (!isUnknownMember) return resolve(joinError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        this.store.ensureTopic();
        group = this.store.add(new ClassicGroup(p.groupId, 'Empty', this.now()));
      }
      if (!this.acceptJoiningMember(group, p.memberId)) {
        group.remove(p.memberId);
        resolve(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED));
      } else if (isUnknownMember) {
        this.doNewMemberJoin(group, p, resolve);
      } else {
        this.doCurrentMemberJoin(group, p, resolve);
      }
      if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
    });
  }

  private acceptJoiningMember(group: ClassicGroup, memberId: string): boolean {
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return true;
      case 'PreparingRebalance':
        return (group.has(memberId) && group.get(memberId).isAwaitingJoin) || group.numAwaiting < this.config.maxSize;
      default:
        return group.has(memberId) || group.size < this.config.maxSize;
    }
  }

  private doNewMemberJoin(group: ClassicGroup, p: JoinGroupParams, resolve: (r: JoinGroupOutcome) => void): void {
    if (group.is('Dead')) return resolve(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols)) return resolve(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    const newMemberId = group.generateMemberId(p.clientId, p.groupInstanceId);
    if (p.groupInstanceId !== null) {
      const oldMemberId = group.currentStaticMemberId(p.groupInstanceId);
      if (oldMemberId !== undefined) {
        this.log.info(`static member ${p.groupInstanceId} of group ${group.groupId} rejoins (${group.state}): ${oldMemberId} is replaced by ${newMemberId}`);
        this.updateStaticMemberAndRebalance(group, oldMemberId, newMemberId, p, resolve);
      } else {
        this.addMemberAndRebalance(group, newMemberId, p, resolve);
      }
    } else if (p.requireKnownMemberId) {
      // KIP-394: the member must come back with this id; until then it is pending.
      group.pendingMembers.set(newMemberId, this.timer('pending member expiration', p.sessionTimeoutMs, () => this.onPendingMemberExpired(group, newMemberId)));
      resolve(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    } else {
      this.addMemberAndRebalance(group, newMemberId, p, resolve);
    }
  }

  private validateCurrentMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number | undefined {
    if (groupInstanceId !== null) {
      const current = group.currentStaticMemberId(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return group.has(memberId) ? undefined : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  private doCurrentMemberJoin(group: ClassicGroup, p: JoinGroupParams, resolve: (r: JoinGroupOutcome) => void): void {
    if (group.is('Dead')) return resolve(joinError(p.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(p.protocolType, p.protocols)) return resolve(joinError(p.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (group.isPendingMember(p.memberId)) {
      if (p.groupInstanceId !== null) return resolve(joinError(p.memberId, ErrorCode.UNKNOWN_SERVER_ERROR));
      return this.addMemberAndRebalance(group, p.memberId, p, resolve);
    }
    const error = this.validateCurrentMember(group, p.memberId, p.groupInstanceId);
    if (error !== undefined) return resolve(joinError(p.memberId, error));
    const member = group.get(p.memberId);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, p, resolve);
      case 'CompletingRebalance':
        // Same metadata: it missed the JoinGroup response; answer with the current generation.
        if (member.matches(p.protocols)) return resolve(this.joinResult(group, member.memberId, group.isLeader(member.memberId)));
        return this.updateMemberAndRebalance(group, member, p, resolve);
      case 'Stable':
        // The leader rejoining forces a rebalance (it may have seen metadata changes); so does new metadata.
        if (group.isLeader(member.memberId) || !member.matches(p.protocols)) return this.updateMemberAndRebalance(group, member, p, resolve);
        return resolve(this.joinResult(group, member.memberId, false));
      default:
        return resolve(joinError(p.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private joinResult(group: ClassicGroup, memberId: string, withMembers: boolean, leader = group.leaderId ?? '', skipAssignment = false): JoinGroupOutcome {
    return {
      errorCode: ErrorCode.NONE,
      memberId,
      generationId: group.generationId,
      protocolType: group.protocolType ?? null,
      protocolName: group.protocolName ?? null,
      leader,
      skipAssignment,
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, p: JoinGroupParams, resolve: (r: JoinGroupOutcome) => void): void {
    const member = new GroupMember(memberId, p.groupInstanceId, p.clientId, p.clientHost, p.rebalanceTimeoutMs, p.sessionTimeoutMs, p.protocolType, p.protocols);
    member.isNew = true;
    // Joining during a new group's initial delay extends the delay.
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member, resolve);
    // The socket is parked until the rebalance ends, so a vanished new member is only noticed by this long timeout.
    this.scheduleHeartbeat(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.maybePrepareRebalance(group, `adding new member ${memberId}`);
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, p: JoinGroupParams, resolve: (r: JoinGroupOutcome) => void): void {
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, resolve);
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoins`);
  }

  private updateStaticMemberAndRebalance(group: ClassicGroup, oldMemberId: string, newMemberId: string, p: JoinGroupParams, resolve: (r: JoinGroupOutcome) => void): void {
    const currentLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(p.groupInstanceId!, oldMemberId, newMemberId, {
      join: joinError(oldMemberId, ErrorCode.FENCED_INSTANCE_ID),
      sync: syncError(ErrorCode.FENCED_INSTANCE_ID),
    });
    this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    group.updateMember(member, p.protocols, p.rebalanceTimeoutMs, p.sessionTimeoutMs, resolve);
    switch (group.state) {
      case 'Stable': {
        // Unchanged protocol choice: no rebalance, only the new member id is persisted.
        if (group.protocolName !== group.selectProtocol()) return this.maybePrepareRebalance(group, `static member ${p.groupInstanceId} changed protocols`);
        this.store.storeGroup(group, new Map([...group.members.values()].map((m) => [m.memberId, m.assignment])), this.now());
        if (p.supportSkippingAssignment) {
          // v9+: the leader learns it leads but must not run the assignor while the group is stable.
          const isLeader = group.isLeader(newMemberId);
          group.maybeInvokeJoin(member, this.joinResult(group, newMemberId, isLeader, group.leaderId ?? '', isLeader));
        } else {
          // Older versions get the old leader id, so a returning leader does not assign needlessly.
          group.maybeInvokeJoin(member, this.joinResult(group, newMemberId, false, currentLeader));
        }
        return;
      }
      case 'CompletingRebalance':
        // The leader may have assigned to the old member id: start over.
        return this.prepareRebalance(group, `static member ${p.groupInstanceId} rejoined during CompletingRebalance`);
      case 'PreparingRebalance':
        return;
      default:
        throw new Error(`group ${group.groupId} cannot be ${group.state} when static member ${p.groupInstanceId} rejoins`);
    }
  }

  private maybePrepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.canRebalance) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    this.removeSyncExpiration(group);
    const initial = group.is('Empty');
    const rebalanceTimeoutMs = group.rebalanceTimeoutMs;
    group.transitionTo('PreparingRebalance', this.now());
    this.log.info(`preparing to rebalance group ${group.groupId} with old generation ${group.generationId} (reason: ${reason})`);
    if (initial) {
      const delay = this.config.initialRebalanceDelayMs;
      this.scheduleInitialJoin(group, delay, Math.max(rebalanceTimeoutMs - delay, 0));
    } else {
      this.scheduleJoin(group, rebalanceTimeoutMs);
    }
  }

  private clearJoinTimer(group: ClassicGroup): void {
    if (group.joinTimer) clearTimeout(group.joinTimer);
    group.joinTimer = undefined;
    group.initialJoinDelay = false;
  }

  /** Apache's DelayedJoin: completes once every member has rejoined, or at the rebalance timeout. */
  private scheduleJoin(group: ClassicGroup, timeoutMs: number): void {
    this.clearJoinTimer(group);
    const timer = this.timer(`rebalance of group ${group.groupId}`, timeoutMs, () => {
      if (group.joinTimer !== timer) return;
      this.onCompleteJoin(group);
    });
    group.joinTimer = timer;
    this.tryCompleteJoin(group);
  }

  /** Apache's InitialDelayedJoin: waits the initial delay, extended while new members keep arriving. */
  private scheduleInitialJoin(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    this.clearJoinTimer(group);
    const timer = this.timer(`initial rebalance of group ${group.groupId}`, delayMs, () => {
      if (group.joinTimer !== timer) return;
      if (group.newMemberAdded && remainingMs !== 0) {
        group.newMemberAdded = false;
        this.scheduleInitialJoin(group, Math.min(this.config.initialRebalanceDelayMs, remainingMs), Math.max(remainingMs - delayMs, 0));
      } else {
        this.onCompleteJoin(group);
      }
    });
    group.joinTimer = timer;
    group.initialJoinDelay = true;
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    if (group.joinTimer && !group.initialJoinDelay && group.hasAllMembersJoined) this.onCompleteJoin(group);
  }

  private onCompleteJoin(group: ClassicGroup): void {
    this.clearJoinTimer(group);
    for (const m of group.notYetRejoinedMembers) {
      if (m.isStatic) continue;
      group.remove(m.memberId);
      this.clearHeartbeat(m);
    }
    if (group.is('Dead')) return;
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Nobody rejoined: wait another rebalance timeout for session timeouts to clear the members.
      this.log.warn(`group ${group.groupId} could not complete rebalance because no members rejoined`);
      this.scheduleJoin(group, group.rebalanceTimeoutMs);
      return;
    }
    group.initNextGeneration(this.now());
    if (group.is('Empty')) {
      this.log.info(`group ${group.groupId} with generation ${group.generationId} is now empty`);
      this.store.storeGroup(group, new Map(), this.now());
      return;
    }
    this.log.info(`stabilized group ${group.groupId} generation ${group.generationId} with ${group.size} member(s)`);
    for (const m of group.members.values()) {
      group.maybeInvokeJoin(m, this.joinResult(group, m.memberId, group.isLeader(m.memberId)));
      this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
      m.isNew = false;
      group.pendingSyncMembers.add(m.memberId);
    }
    this.schedulePendingSync(group);
  }

  /** Apache's DelayedSync: members that do not SyncGroup within the rebalance timeout are removed. */
  private schedulePendingSync(group: ClassicGroup): void {
    if (group.syncTimer) clearTimeout(group.syncTimer);
    const generation = group.generationId;
    const timer = this.timer(`sync expiration of group ${group.groupId}`, group.rebalanceTimeoutMs, () => {
      if (group.syncTimer !== timer) return;
      group.syncTimer = undefined;
      if (generation !== group.generationId || !(group.is('CompletingRebalance') || group.is('Stable'))) return;
      if (group.pendingSyncMembers.size === 0) return;
      const missing = [...group.pendingSyncMembers];
      for (const id of missing) {
        const m = group.members.get(id);
        group.remove(id);
        if (m) this.clearHeartbeat(m);
      }
      this.prepareRebalance(group, `removing ${missing.join(', ')} on pending sync request expiration`);
    });
    group.syncTimer = timer;
  }

  private removeSyncExpiration(group: ClassicGroup): void {
    group.pendingSyncMembers.clear();
    if (group.syncTimer) clearTimeout(group.syncTimer);
    group.syncTimer = undefined;
  }

  // ---------------------------------------------------------------- liveness

  private clearHeartbeat(member: GroupMember): void {
    if (member.heartbeatTimer) clearTimeout(member.heartbeatTimer);
    member.heartbeatTimer = undefined;
  }

  /** The member proved alive: its next deadline is `timeoutMs` from now. */
  private scheduleHeartbeat(group: ClassicGroup, member: GroupMember, timeoutMs: number): void {
    if (this.closed) return;
    this.clearHeartbeat(member);
    member.heartbeatSatisfied = false;
    const timer = this.timer(`session expiration of ${member.memberId}`, timeoutMs, () => {
      if (member.heartbeatTimer !== timer) return;
      member.heartbeatTimer = undefined;
      this.onHeartbeatExpired(group, member);
    });
    member.heartbeatTimer = timer;
  }

  private onHeartbeatExpired(group: ClassicGroup, member: GroupMember): void {
    if (group.is('Dead') || group.members.get(member.memberId) !== member) return;
    if (member.hasSatisfiedHeartbeat) return;
    this.log.info(`member ${member.memberId} in group ${group.groupId} has failed, removing it from the group`);
    this.removeMemberAndUpdateGroup(group, member, `removing member ${member.memberId} on heartbeat expiration`);
  }

  private onPendingMemberExpired(group: ClassicGroup, memberId: string): void {
    if (group.is('Dead') || !group.isPendingMember(memberId)) return;
    group.remove(memberId);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember, reason: string): void {
    // A member parked in JoinGroup is told to rejoin from scratch.
    group.maybeInvokeJoin(member, joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    // Apache leaves a parked SyncGroup unanswered here; answering lets the client's connection move on.
    group.maybeInvokeSync(member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    group.remove(member.memberId);
    this.clearHeartbeat(member);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        return this.maybePrepareRebalance(group, reason);
      case 'PreparingRebalance':
        return this.tryCompleteJoin(group);
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- SyncGroup

  syncGroup(p: SyncGroupParams): Promise<SyncGroupOutcome> {
    return new Promise((resolve) => {
      const invalid = this.validateGroupId(p.groupId, 'SyncGroup');
      if (invalid !== undefined) return resolve(syncError(invalid));
      const group = this.store.get(p.groupId);
      if (!group) return resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      if (group.is('Dead')) return resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      const error =
        this.validateCurrentMember(group, p.memberId, p.groupInstanceId) ??
        (p.generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : undefined) ??
        (p.protocolType !== null && p.protocolType !== group.protocolType ? ErrorCode.INCONSISTENT_GROUP_PROTOCOL : undefined) ??
        (p.protocolName !== null && p.protocolName !== group.protocolName ? ErrorCode.INCONSISTENT_GROUP_PROTOCOL : undefined);
      if (error !== undefined) return resolve(syncError(error));
      const member = group.get(p.memberId);
      switch (group.state) {
        case 'Empty':
          return resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
        case 'PreparingRebalance':
          return resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        case 'CompletingRebalance': {
          member.awaitingSync = resolve;
          group.pendingSyncMembers.delete(p.memberId);
          if (!group.isLeader(p.memberId)) return;
          this.log.info(`assignment received from leader ${p.memberId} for group ${group.groupId} for generation ${group.generationId}`);
          // Members the leader left out get an empty assignment.
          const assignment = new Map<string, Buffer>();
          for (const id of group.members.keys()) assignment.set(id, p.assignments.get(id) ?? Buffer.alloc(0));
          try {
            this.store.storeGroup(group, assignment, this.now());
          } catch (err) {
            this.log.error(`failed to store the assignment of group ${group.groupId}: ${(err as Error).message}`);
            this.resetAndPropagateAssignmentError(group, ErrorCode.UNKNOWN_SERVER_ERROR);
            return this.maybePrepareRebalance(group, 'error storing the group assignment');
          }
          for (const m of group.members.values()) m.assignment = assignment.get(m.memberId)!;
          this.propagateAssignment(group, ErrorCode.NONE);
          group.transitionTo('Stable', this.now());
          return;
        }
        case 'Stable':
          group.pendingSyncMembers.delete(p.memberId);
          resolve({ errorCode: ErrorCode.NONE, protocolType: group.protocolType ?? null, protocolName: group.protocolName ?? null, assignment: member.assignment });
          this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
          return;
        default:
          return resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      }
    });
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, errorCode: number): void {
    for (const m of group.members.values()) m.assignment = Buffer.alloc(0);
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: ClassicGroup, errorCode: number): void {
    const ok = errorCode === ErrorCode.NONE;
    for (const m of group.members.values()) {
      const answered = group.maybeInvokeSync(m, {
        errorCode,
        protocolType: ok ? (group.protocolType ?? null) : null,
        protocolName: ok ? (group.protocolName ?? null) : null,
        assignment: m.assignment,
      });
      // Sessions restart once the assignment is out, whatever happened while members waited.
      if (answered) this.scheduleHeartbeat(group, m, m.sessionTimeoutMs);
    }
  }

  // ---------------------------------------------------------------- Heartbeat, LeaveGroup

  heartbeat(groupId: string, memberId: string, groupInstanceId: string | null, generationId: number): number {
    const invalid = this.validateGroupId(groupId, 'Heartbeat');
    if (invalid !== undefined) return invalid;
    const group = this.store.get(groupId);
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const error = this.validateCurrentMember(group, memberId, groupInstanceId) ?? (generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : undefined);
    if (error !== undefined) return error;
    if (group.is('Empty')) return ErrorCode.UNKNOWN_MEMBER_ID;
    const member = group.get(memberId);
    this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    return group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
  }

  leaveGroup(groupId: string, leaving: MemberIdentity[]): { errorCode: number; members: Array<MemberIdentity & { errorCode: number }> } {
    const invalid = this.validateGroupId(groupId, 'LeaveGroup');
    if (invalid !== undefined) return { errorCode: invalid, members: [] };
    const group = this.store.get(groupId);
    if (!group) return { errorCode: ErrorCode.NONE, members: leaving.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map((m) => {
      const removeCurrent = (id: string) => {
        const member = group.get(id);
        this.removeMemberAndUpdateGroup(group, member, `removing member ${id} on LeaveGroup`);
        this.log.info(`member ${id} has left group ${groupId} through explicit LeaveGroup`);
      };
      // Administrative removal names a static member by instance id alone.
      if (m.memberId === '') {
        const current = m.groupInstanceId !== null ? group.currentStaticMemberId(m.groupInstanceId) : undefined;
        if (current === undefined) return { ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
        removeCurrent(current);
        return { ...m, errorCode: ErrorCode.NONE };
      }
      if (group.isPendingMember(m.memberId)) {
        group.remove(m.memberId);
        if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
        return { ...m, errorCode: ErrorCode.NONE };
      }
      const error = this.validateCurrentMember(group, m.memberId, m.groupInstanceId);
      if (error !== undefined) return { ...m, errorCode: error };
      removeCurrent(m.memberId);
      return { ...m, errorCode: ErrorCode.NONE };
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  // ---------------------------------------------------------------- offsets

  private validateOffsetCommit(group: ClassicGroup, generationId: number, memberId: string, groupInstanceId: string | null, transactional: boolean): number | undefined {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // Generation -1: the admin client or a consumer without group management; fine while the group is empty.
    if (generationId < 0 && group.is('Empty')) return undefined;
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      return this.validateCurrentMember(group, memberId, groupInstanceId) ?? (generationId !== group.generationId ? ErrorCode.ILLEGAL_GENERATION : undefined);
    }
    // Old TxnOffsetCommit versions carry no member: only plain commits need one in a non-empty group.
    if (!transactional && !group.is('Empty')) return ErrorCode.UNKNOWN_MEMBER_ID;
    return undefined;
  }

  /** Keys `topic\0partition` → error code. */
  commitOffsets(p: OffsetCommitParams): Map<string, number> {
    const all = (code: number) => new Map(p.offsets.map((o) => [topicPartitionKey(o.topic, o.partition), code]));
    const invalid = this.validateGroupId(p.groupId, 'OffsetCommit');
    if (invalid !== undefined) return all(invalid);
    const consumerGroup = this.consumer.get(p.groupId);
    if (consumerGroup) return this.commitToConsumerGroup(consumerGroup, p, p.apiVersion ?? 9);
    let group = this.store.get(p.groupId);
    if (!group) {
      // Not using group management: commit freely; otherwise an older generation's commit.
      if (p.generationId >= 0) return all(ErrorCode.ILLEGAL_GENERATION);
      this.store.ensureTopic();
      group = this.store.add(new ClassicGroup(p.groupId, 'Empty', this.now()));
    }
    const error = this.validateOffsetCommit(group, p.generationId, p.memberId, p.groupInstanceId, false);
    if (error !== undefined) return all(error);
    if (group.is('CompletingRebalance')) return all(ErrorCode.REBALANCE_IN_PROGRESS);
    if (group.is('Stable') || group.is('PreparingRebalance')) {
      // A commit during PreparingRebalance still counts; the heartbeat will announce the rebalance.
      const member = group.get(p.memberId);
      this.scheduleHeartbeat(group, member, member.sessionTimeoutMs);
    }
    return this.storeOffsets(group, p.offsets);
  }

  /** TxnOffsetCommit after the transaction check: offsets pending until the transaction ends. */
  commitTransactionalOffsets(p: OffsetCommitParams & { producerId: number; producerEpoch: number }): Map<string, number> {
    const all = (code: number) => new Map(p.offsets.map((o) => [topicPartitionKey(o.topic, o.partition), code]));
    const invalid = this.validateGroupId(p.groupId, 'TxnOffsetCommit');
    if (invalid !== undefined) return all(invalid);
    const consumerGroup = this.consumer.get(p.groupId);
    if (consumerGroup) return this.commitToConsumerGroup(consumerGroup, p, 9, { producerId: p.producerId, producerEpoch: p.producerEpoch });
    this.store.ensureTopic();
    const group = this.store.get(p.groupId) ?? this.store.add(new ClassicGroup(p.groupId, 'Empty', this.now()));
    const error = this.validateOffsetCommit(group, p.generationId, p.memberId, p.groupInstanceId, true);
    if (error !== undefined) return all(error);
    return this.storeOffsets(group, p.offsets, { producerId: p.producerId, producerEpoch: p.producerEpoch });
  }

  /** A commit to a KIP-848 group: its checks per partition, then the shared offset store. */
  private commitToConsumerGroup(group: ConsumerGroup, p: OffsetCommitParams, apiVersion: number, producer?: { producerId: number; producerEpoch: number }): Map<string, number> {
    const errorFor = this.consumer.validateOffsetCommit(group, p.memberId, p.generationId, apiVersion, producer !== undefined);
    const accepted = p.offsets.filter((o) => errorFor(o.topic, o.partition) === ErrorCode.NONE);
    const stored = accepted.length > 0 ? this.storeOffsets(this.store.get(p.groupId)!, accepted, producer) : new Map<string, number>();
    return new Map(p.offsets.map((o) => {
      const key = topicPartitionKey(o.topic, o.partition);
      return [key, stored.get(key) ?? errorFor(o.topic, o.partition)];
    }));
  }

  private storeOffsets(group: ClassicGroup, offsets: OffsetToStore[], producer?: { producerId: number; producerEpoch: number }): Map<string, number> {
    const tooLarge = (o: OffsetToStore) => Buffer.byteLength(o.metadata, 'utf8') > this.config.offsetMetadataMaxBytes;
    const valid = offsets.filter((o) => !tooLarge(o));
    let storeError: number = ErrorCode.NONE;
    if (valid.length > 0) {
      try {
        this.store.storeOffsets(group, valid, this.now(), producer);
      } catch (err) {
        if (!(err instanceof ProducerStateError)) throw err;
        storeError = err.errorCode;
      }
    }
    return new Map(offsets.map((o) => [topicPartitionKey(o.topic, o.partition), tooLarge(o) ? ErrorCode.OFFSET_METADATA_TOO_LARGE : storeError]));
  }

  /** Committed offsets of `partitions` (all the group has when undefined). */
  fetchOffsets(
    groupId: string,
    requireStable: boolean,
    partitions: Array<{ topic: string; partition: number }> | undefined,
    member?: { memberId: string | null; memberEpoch: number },
  ): { errorCode: number; results: OffsetFetchResult[] } {
    const invalid = this.validateGroupId(groupId, 'OffsetFetch');
    if (invalid !== undefined) return { errorCode: invalid, results: [] };
    // v9+: a consumer-protocol member fetches with its id and epoch.
    const consumerGroup = member ? this.consumer.get(groupId) : undefined;
    const memberError = consumerGroup ? this.consumer.validateOffsetFetch(consumerGroup, member!.memberId, member!.memberEpoch) : undefined;
    if (memberError !== undefined) return { errorCode: memberError, results: [] };
    const none = (topic: string, partition: number, errorCode: number = ErrorCode.NONE): OffsetFetchResult => ({ topic, partition, offset: -1, leaderEpoch: -1, metadata: '', errorCode });
    const group = this.store.get(groupId);
    if (!group || group.is('Dead')) return { errorCode: ErrorCode.NONE, results: (partitions ?? []).map((tp) => none(tp.topic, tp.partition)) };
    const wanted = partitions ?? [...group.offsets.keys()].map((k) => {
      const i = k.lastIndexOf('\u0000');
      return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)) };
    });
    const results = wanted.map(({ topic, partition }) => {
      const key = topicPartitionKey(topic, partition);
      if (requireStable && group.hasPendingOffsetCommitsFor(key)) return none(topic, partition, ErrorCode.UNSTABLE_OFFSET_COMMIT);
      const c = group.offsets.get(key);
      return c ? { topic, partition, offset: c.offset, leaderEpoch: c.leaderEpoch, metadata: c.metadata, errorCode: ErrorCode.NONE } : none(topic, partition);
    });
    return { errorCode: ErrorCode.NONE, results };
  }

  // ---------------------------------------------------------------- admin

  listGroups(statesFilter: string[], typesFilter: string[]): Array<{ groupId: string; protocolType: string; groupState: string; groupType: string }> {
    if (this.closed) return [];
    const states = new Set(statesFilter.map((s) => s.toLowerCase()));
    const types = new Set(typesFilter.map((t) => t.toLowerCase()));
    const classic = [...this.store.groups.values()]
      .filter((g) => this.consumer.get(g.groupId) === undefined)
      .filter((g) => (states.size === 0 || states.has(g.state.toLowerCase())) && (types.size === 0 || types.has('classic')))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state as string, groupType: 'classic' }));
    const consumer = [...this.consumer.groups.values()]
      .filter((g) => !g.dead && (states.size === 0 || states.has(g.state.toLowerCase())) && (types.size === 0 || types.has('consumer')))
      .map((g) => ({ groupId: g.groupId, protocolType: 'consumer', groupState: g.state as string, groupType: 'consumer' }));
    return [...classic, ...consumer];
  }

  describeGroup(groupId: string): GroupSummary {
    const invalid = this.validateGroupId(groupId, 'DescribeGroups');
    if (invalid !== undefined) return { errorCode: invalid, state: '', protocolType: '', protocolData: '', members: [] };
    const group = this.store.get(groupId);
    // A consumer-protocol group is not a classic group: described as an unknown one (ConsumerGroupDescribe describes it).
    if (!group || this.consumer.get(groupId)) return { errorCode: ErrorCode.NONE, state: 'Dead', protocolType: '', protocolData: '', members: [] };
    const stable = group.is('Stable');
    return {
      errorCode: ErrorCode.NONE,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolData: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: stable ? m.metadata(group.protocolName!) : Buffer.alloc(0),
        assignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    };
  }

  deleteGroups(groupIds: string[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const groupId of groupIds) {
      const invalid = this.validateGroupId(groupId, 'DeleteGroups');
      if (invalid !== undefined) {
        out.set(groupId, invalid);
        continue;
      }
      const group = this.store.get(groupId);
      const consumerGroup = this.consumer.get(groupId);
      if (consumerGroup && consumerGroup.members.size > 0) {
        out.set(groupId, ErrorCode.NON_EMPTY_GROUP);
        continue;
      }
      if (consumerGroup) this.consumer.deleteGroup(consumerGroup, this.now());
      if (!group || group.is('Dead')) {
        out.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
      } else if (!group.is('Empty')) {
        out.set(groupId, ErrorCode.NON_EMPTY_GROUP);
      } else {
        group.transitionTo('Dead', this.now());
        const removed = this.store.removeOffsets(group, 'all', this.now());
        this.log.info(`group ${groupId} was deleted with ${removed} offset(s)`);
        out.set(groupId, ErrorCode.NONE);
      }
    }
    return out;
  }

  deleteOffsets(groupId: string, partitions: Array<{ topic: string; partition: number }>): { errorCode: number; partitions: Map<string, number> } {
    const invalid = this.validateGroupId(groupId, 'OffsetDelete');
    if (invalid !== undefined) return { errorCode: invalid, partitions: new Map() };
    const group = this.store.get(groupId);
    if (!group || group.is('Dead')) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitions: new Map() };
    const results = new Map<string, number>();
    let eligible = partitions;
    const consumerGroup = this.consumer.get(groupId);
    if (consumerGroup && consumerGroup.members.size > 0) {
      eligible = [];
      for (const tp of partitions) {
        if (this.consumer.isSubscribedToTopic(consumerGroup, tp.topic)) results.set(topicPartitionKey(tp.topic, tp.partition), ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        else eligible.push(tp);
      }
    } else if (!group.is('Empty')) {
      if (!group.isConsumerGroup) return { errorCode: ErrorCode.NON_EMPTY_GROUP, partitions: new Map() };
      eligible = [];
      for (const tp of partitions) {
        if (group.isSubscribedToTopic(tp.topic)) results.set(topicPartitionKey(tp.topic, tp.partition), ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        else eligible.push(tp);
      }
    }
    if (eligible.length > 0) {
      this.store.removeOffsets(group, eligible.map((tp) => topicPartitionKey(tp.topic, tp.partition)), this.now());
      for (const tp of eligible) results.set(topicPartitionKey(tp.topic, tp.partition), ErrorCode.NONE);
    }
    return { errorCode: ErrorCode.NONE, partitions: results };
  }

  /** A deleted topic's committed offsets go with it (Apache `handleDeletedPartitions`). */
  onTopicDeleted(topic: string): void {
    for (const group of [...this.store.groups.values()]) {
      const keys = [...group.offsets.keys()].filter((k) => k.slice(0, k.lastIndexOf('\u0000')) === topic);
      if (keys.length > 0) this.store.removeOffsets(group, keys, this.now());
    }
  }

  close(): void {
    this.closed = true;
    this.consumer.close();
    for (const group of this.store.groups.values()) {
      this.clearJoinTimer(group);
      if (group.syncTimer) clearTimeout(group.syncTimer);
      for (const t of group.pendingMembers.values()) if (t) clearTimeout(t);
      for (const m of group.members.values()) {
        this.clearHeartbeat(m);
        group.maybeInvokeJoin(m, joinError(m.memberId, ErrorCode.NOT_COORDINATOR));
        group.maybeInvokeSync(m, syncError(ErrorCode.NOT_COORDINATOR));
      }
    }
  }
}
