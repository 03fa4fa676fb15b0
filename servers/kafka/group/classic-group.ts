import { randomUUID } from 'node:crypto';
import { subscribedTopicsOf } from './consumer-protocol.js';
import { type GroupMember, type GroupProtocol, type JoinGroupOutcome, type SyncGroupOutcome } from './group-member.js';

/** Apache's classic group states (`GroupState` in GroupMetadata.scala), named as DescribeGroups reports them. */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

const validPreviousStates: Record<GroupState, GroupState[]> = {
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
  Empty: ['PreparingRebalance'],
};

/** A committed offset as the group keeps it; `batchOffset` orders commits by their place in the log. */
export interface CommittedOffset {
  offset: number;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
  expireTimestamp: number | undefined;
  batchOffset: number;
}

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export function parseTopicPartitionKey(key: string): { topic: string; partition: number } {
  const i = key.lastIndexOf('\u0000');
  return { topic: key.slice(0, i), partition: Number(key.slice(i + 1)) };
}

/**
 * One classic consumer group (Apache `GroupMetadata`): state, generation, selected protocol,
 * leader, members (static ones also by instance id), members asked to rejoin with their new
 * id (pending), members yet to sync, committed offsets and transactional offsets awaiting
 * their transaction's outcome. Timers for the rebalance in flight are held here so the
 * coordinator can cancel them.
 */
export class ClassicGroup {
  state: GroupState;
  stateTimestamp: number;
  protocolType: string | undefined;
  protocolName: string | undefined;
  generationId = 0;
  leaderId: string | undefined;
  readonly members = new Map<string, GroupMember>();
  private readonly staticMembers = new Map<string, string>();
  readonly pendingMembers = new Map<string, NodeJS.Timeout | undefined>();
  private numMembersAwaitingJoin = 0;
  private readonly supportedProtocols = new Map<string, number>();
  readonly offsets = new Map<string, CommittedOffset>();
  /** Producer id → offsets its open transaction committed. */
  readonly pendingTxnOffsets = new Map<number, Map<string, CommittedOffset>>();
  readonly pendingSyncMembers = new Set<string>();
  private subscribedTopics: Set<string> | undefined;
  /** A member joined while a new group's initial rebalance delay was running. */
  newMemberAdded = false;
  joinTimer: NodeJS.Timeout | undefined;
  /** Whether the running join timer is an initial delay (it never completes early). */
  initialJoinDelay = false;
  syncTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly groupId: string,
    state: GroupState,
    now: number,
  ) {
    this.state = state;
    this.stateTimestamp = now;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): GroupMember {
    const m = this.members.get(memberId);
    if (!m) throw new Error(`member ${memberId} is not in group ${this.groupId}`);
    return m;
  }

  get size(): number {
    return this.members.size;
  }

  get numAwaiting(): number {
    return this.numMembersAwaitingJoin;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  get isConsumerGroup(): boolean {
    return this.protocolType === 'consumer';
  }

  /** The longest rebalance timeout of the members (0 when empty). */
  get rebalanceTimeoutMs(): number {
    let t = 0;
    for (const m of this.members.values()) t = Math.max(t, m.rebalanceTimeoutMs);
    return t;
  }

  get canRebalance(): boolean {
    return validPreviousStates.PreparingRebalance.includes(this.state);
  }

  transitionTo(state: GroupState, now: number): void {
    if (!validPreviousStates[state].includes(this.state)) throw new Error(`group ${this.groupId} cannot go from ${this.state} to ${state}`);
    this.state = state;
    this.stateTimestamp = now;
  }

  add(member: GroupMember, callback?: (r: JoinGroupOutcome) => void): void {
    if (member.groupInstanceId !== null) {
      if (this.staticMembers.has(member.groupInstanceId)) throw new Error(`static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      this.staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.leaderId ??= member.memberId;
    this.members.set(member.memberId, member);
    this.countProtocols(member, 1);
    member.awaitingJoin = callback;
    if (member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    this.removePending(member.memberId);
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member) {
      this.members.delete(memberId);
      this.countProtocols(member, -1);
      if (member.isAwaitingJoin) this.numMembersAwaitingJoin--;
      if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value;
    this.removePending(memberId);
    this.pendingSyncMembers.delete(memberId);
  }

  private removePending(memberId: string): void {
    const timer = this.pendingMembers.get(memberId);
    if (timer) clearTimeout(timer);
    this.pendingMembers.delete(memberId);
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  currentStaticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  get staticMemberCount(): number {
    return this.staticMembers.size;
  }

  /** Gives a static member its new member id, fencing whatever the old id was parked on. */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string, fenced: { join: JoinGroupOutcome; sync: SyncGroupOutcome }): GroupMember {
    const member = this.members.get(oldMemberId);
    if (!member) throw new Error(`cannot replace non-existing member ${oldMemberId}`);
    this.members.delete(oldMemberId);
    this.maybeInvokeJoin(member, fenced.join);
    this.maybeInvokeSync(member, fenced.sync);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    if (this.isLeader(oldMemberId)) this.leaderId = newMemberId;
    this.staticMembers.set(groupInstanceId, newMemberId);
    return member;
  }

  /** If the leader has not rejoined, any member that has becomes leader. False when none has. */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === undefined) return false;
    const leader = this.members.get(this.leaderId);
    if (leader?.isAwaitingJoin) return true;
    for (const m of this.members.values()) {
      if (m.isAwaitingJoin) {
        this.leaderId = m.memberId;
        return true;
      }
    }
    return false;
  }

  get notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  get hasAllMembersJoined(): boolean {
    return this.members.size === this.numMembersAwaitingJoin && this.pendingMembers.size === 0;
  }

  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`;
  }

  private countProtocols(member: GroupMember, delta: number): void {
    for (const p of member.protocols) this.supportedProtocols.set(p.name, (this.supportedProtocols.get(p.name) ?? 0) + delta);
  }

  private candidateProtocols(): Set<string> {
    const out = new Set<string>();
    for (const [name, count] of this.supportedProtocols) if (count === this.members.size) out.add(name);
    return out;
  }

  /** The protocol most members prefer among those every member supports. */
  selectProtocol(): string {
    if (this.members.size === 0) throw new Error('cannot select a protocol for an empty group');
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const v = m.vote(candidates);
      votes.set(v, (votes.get(v) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [p, n] of votes) {
      if (n > bestVotes) {
        best = p;
        bestVotes = n;
      }
    }
    return best;
  }

  /** An empty group takes any non-empty protocol list; otherwise type and one shared protocol must match. */
  supportsProtocols(protocolType: string, protocols: GroupProtocol[]): boolean {
    if (this.is('Empty')) return protocolType.length > 0 && protocols.length > 0;
    return this.protocolType === protocolType && protocols.some((p) => this.supportedProtocols.get(p.name) === this.members.size);
  }

  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics === undefined || this.subscribedTopics.has(topic);
  }

  private computeSubscribedTopics(): Set<string> | undefined {
    if (this.protocolType !== 'consumer') return undefined;
    if (this.members.size === 0) return new Set();
    if (this.protocolName === undefined) return undefined;
    const all = new Set<string>();
    for (const m of this.members.values()) {
      const topics = subscribedTopicsOf(m.metadata(this.protocolName));
      if (!topics) return undefined;
      for (const t of topics) all.add(t);
    }
    return all;
  }

  updateMember(member: GroupMember, protocols: GroupProtocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number, callback: ((r: JoinGroupOutcome) => void) | undefined): void {
    this.countProtocols(member, -1);
    member.protocols = protocols;
    this.countProtocols(member, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    if (callback && !member.isAwaitingJoin) this.numMembersAwaitingJoin++;
    else if (!callback && member.isAwaitingJoin) this.numMembersAwaitingJoin--;
    member.awaitingJoin = callback;
  }

  maybeInvokeJoin(member: GroupMember, result: JoinGroupOutcome): void {
    const cb = member.awaitingJoin;
    if (!cb) return;
    member.awaitingJoin = undefined;
    this.numMembersAwaitingJoin--;
    cb(result);
  }

  maybeInvokeSync(member: GroupMember, result: SyncGroupOutcome): boolean {
    const cb = member.awaitingSync;
    if (!cb) return false;
    member.awaitingSync = undefined;
    cb(result);
    return true;
  }

  /** Next generation: protocol chosen, CompletingRebalance (or Empty when nobody is left). */
  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = undefined;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo('Empty', now);
    }
    this.pendingSyncMembers.clear();
  }

  /** A group rebuilt from the log knows its subscriptions again. */
  restoreSubscribedTopics(): void {
    this.subscribedTopics = this.computeSubscribedTopics();
  }

  /** Members of the current generation with their metadata for the selected protocol (the leader's JoinGroup response). */
  currentMemberMetadata(): JoinGroupOutcome['members'] {
    if (this.is('Dead') || this.is('PreparingRebalance')) throw new Error(`cannot list member metadata of a group in state ${this.state}`);
    return [...this.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(this.protocolName!) }));
  }

  hasPendingOffsetCommitsFor(key: string): boolean {
    for (const offsets of this.pendingTxnOffsets.values()) if (offsets.has(key)) return true;
    return false;
  }

  hasOffsets(): boolean {
    return this.offsets.size > 0 || this.pendingTxnOffsets.size > 0;
  }

  /** Applies (commit) or drops (abort) what a producer's transaction committed here. */
  completePendingTxnOffsets(producerId: number, commit: boolean): void {
    const pending = this.pendingTxnOffsets.get(producerId);
    if (!pending) return;
    this.pendingTxnOffsets.delete(producerId);
    if (!commit) return;
    for (const [key, c] of pending) {
      const existing = this.offsets.get(key);
      // A later plain commit that is already in the log wins over an older transactional one.
      if (!existing || existing.batchOffset < c.batchOffset) this.offsets.set(key, c);
    }
  }
}
