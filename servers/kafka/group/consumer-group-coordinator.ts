import type { Logger } from '../../../common/logger.js';
import { guardedTimeout } from '../coordinator/background-work.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import type { KeyValue } from '../coordinator/coordinator-log.js';
import { randomKafkaUuid } from '../metadata/uuid.js';
import type { ConsumerGroupConfig } from './consumer-group-config.js';
import { ConsumerGroup, ConsumerGroupMember, type MemberSubscription } from './consumer-group.js';
import {
  type ConsumerGroupRecord,
  currentAssignmentRecord,
  groupEpochRecord,
  groupTombstones,
  memberSubscriptionRecord,
  memberTombstones,
  targetAssignmentEpochRecord,
  targetAssignmentMemberRecord,
} from './consumer-group-records.js';
import { type MemberAssignmentState, MemberState, reconcile } from './member-reconciliation.js';
import type { AssignorMember, ServerAssignor } from './server-assignors.js';
import { type Assignment, EMPTY_ASSIGNMENT, assignmentOf, assignmentToList, assignmentsEqual, isSubset } from './topic-partition-assignment.js';

/** Member epochs with a meaning of their own in ConsumerGroupHeartbeat. */
export const JOIN_GROUP_MEMBER_EPOCH = 0;
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

/** From v1 the client generates its member id (KIP-1082). */
const CONSUMER_GENERATED_MEMBER_ID_VERSION = 1;

/** The topics the coordinator needs to know about: names ↔ ids and partition counts. */
export interface TopicLookup {
  get(name: string): { id: string; partitions: number } | undefined;
  byId(id: string): { name: string; partitions: number } | undefined;
}

/** Where the coordinator keeps its records and the offsets of its groups. */
export interface ConsumerGroupStorage {
  /** Appends the group's records to its `__consumer_offsets` partition (synchronously). */
  appendRecords(groupId: string, records: KeyValue[], now: number): void;
  /** Whether a classic group of this id exists with members (then a consumer group may not take it). */
  hasLiveClassicGroup(groupId: string): boolean;
  /** Makes sure the offsets of a new consumer group have a home. */
  ensureOffsetsHolder(groupId: string, now: number): void;
}

export interface HeartbeatParams {
  apiVersion: number;
  groupId: string;
  memberId: string;
  memberEpoch: number;
  instanceId: string | null;
  rackId: string | null;
  rebalanceTimeoutMs: number;
  subscribedTopicNames: string[] | null;
  subscribedTopicRegex: string | null;
  serverAssignor: string | null;
  topicPartitions: Array<{ topicId: string; partitions: number[] }> | null;
  clientId: string;
  clientHost: string;
}

export interface HeartbeatResult {
  errorCode: number;
  errorMessage: string | null;
  memberId: string | null;
  memberEpoch: number;
  heartbeatIntervalMs: number;
  assignment: { topicPartitions: Array<{ topicId: string; partitions: number[] }> } | null;
}

/** A request the coordinator refuses: Apache's exception, as an error code and message. */
class HeartbeatError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DescribedConsumerGroup {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: Array<{
    memberId: string;
    instanceId: string | null;
    rackId: string | null;
    memberEpoch: number;
    clientId: string;
    clientHost: string;
    subscribedTopicNames: string[];
    subscribedTopicRegex: string | null;
    assignment: { topicPartitions: Array<{ topicId: string; topicName: string; partitions: number[] }> };
    targetAssignment: { topicPartitions: Array<{ topicId: string; topicName: string; partitions: number[] }> };
    memberType: number;
  }>;
  authorizedOperations: number;
}

/** ConsumerGroupDescribe's member type of a consumer-protocol member (KIP-1099). */
const CONSUMER_MEMBER_TYPE = 1;

/**
 * The KIP-848 consumer group coordinator, following Apache Kafka 4.x's GroupMetadataManager
 * (`consumerGroupHeartbeat`): members join, heartbeat and leave through ConsumerGroupHeartbeat;
 * any change of membership, subscription or subscribed topics bumps the group epoch; the next
 * heartbeat computes the target assignment with the server-side assignor and each member
 * reconciles towards it on its own heartbeats (member-reconciliation.ts), revoking before
 * anyone else receives. Every change is written to `__consumer_offsets` as Apache's records
 * before it is answered, and replayed at startup. Silent members are fenced after the session
 * timeout; members that do not revoke within their rebalance timeout too.
 */
export class ConsumerGroupCoordinator {
  readonly groups = new Map<string, ConsumerGroup>();
  private closed = false;

  constructor(
    private readonly storage: ConsumerGroupStorage,
    private readonly topics: TopicLookup,
    private readonly config: ConsumerGroupConfig,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
    /** The broker's disk-failure handler, for failures in timers (coordinator/background-work.ts). */
    private readonly storageFailed?: (err: unknown) => boolean,
  ) {}

  /** The live consumer group of this id (an Empty one included), if any. */
  get(groupId: string): ConsumerGroup | undefined {
    const g = this.groups.get(groupId);
    return g && !g.dead ? g : undefined;
  }

  private timer(what: string, ms: number, work: () => void): NodeJS.Timeout {
    return guardedTimeout(what, ms, work, { log: this.log, storageFailed: this.storageFailed });
  }

  // ---------------------------------------------------------------- ConsumerGroupHeartbeat

  heartbeat(p: HeartbeatParams): HeartbeatResult {
    try {
      if (this.closed) throw new HeartbeatError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.');
      this.validateRequest(p);
      if (p.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || p.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) return this.leave(p);
      return this.joinOrHeartbeat(p);
    } catch (err) {
      if (!(err instanceof HeartbeatError)) throw err;
      return { errorCode: err.errorCode, errorMessage: err.message, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
    }
  }

  /** Apache `throwIfConsumerGroupHeartbeatRequestIsInvalid`. */
  private validateRequest(p: HeartbeatParams): void {
    const invalid = (message: string) => new HeartbeatError(ErrorCode.INVALID_REQUEST, message);
    if (p.apiVersion >= CONSUMER_GENERATED_MEMBER_ID_VERSION || p.memberEpoch > 0 || p.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
      if (p.memberId.trim() === '') throw invalid("MemberId can't be empty.");
    }
    if (p.groupId.trim() === '') throw invalid("GroupId can't be empty.");
    if (p.instanceId !== null && p.instanceId.trim() === '') throw invalid("InstanceId can't be empty.");
    if (p.rackId !== null && p.rackId.trim() === '') throw invalid("RackId can't be empty.");
    if (p.memberEpoch === JOIN_GROUP_MEMBER_EPOCH) {
      if (p.rebalanceTimeoutMs === -1) throw invalid('RebalanceTimeoutMs must be provided in first request.');
      if (p.topicPartitions === null || p.topicPartitions.length > 0) throw invalid('TopicPartitions must be empty when (re-)joining.');
      if (p.subscribedTopicNames === null && p.subscribedTopicRegex === null) throw invalid('Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.');
    } else if (p.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      if (p.instanceId === null) throw invalid("InstanceId can't be null.");
    } else if (p.memberEpoch < LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      throw invalid('MemberEpoch is invalid.');
    }
    // Regular expression subscriptions (KIP-848's SubscribedTopicRegex, RE2/J syntax) are not implemented.
    if (p.subscribedTopicRegex !== null) throw invalid('SubscribedTopicRegex is not supported by this broker; subscribe to topic names.');
    if (p.serverAssignor !== null && !this.config.assignors.some((a) => a.name === p.serverAssignor)) {
      throw new HeartbeatError(ErrorCode.UNSUPPORTED_ASSIGNOR, `ServerAssignor ${p.serverAssignor} is not supported. Supported assignors: ${this.config.assignors.map((a) => a.name).join(', ')}.`);
    }
  }

  private joinOrHeartbeat(p: HeartbeatParams): HeartbeatResult {
    const now = this.now();
    const records: KeyValue[] = [];
    const created = this.get(p.groupId) === undefined;
    const group = this.getOrMaybeCreateGroup(p.groupId, p.memberEpoch === JOIN_GROUP_MEMBER_EPOCH, now);
    const owned = p.topicPartitions === null ? null : assignmentOf(p.topicPartitions);
    let found: ReturnType<ConsumerGroupCoordinator['dynamicMember']>;
    try {
      found = p.instanceId === null ? this.dynamicMember(group, p, owned) : this.staticMember(group, p, owned, records);
    } catch (err) {
      // A refused first join leaves no group behind (Apache never commits it).
      if (created) this.groups.delete(group.groupId);
      throw err;
    }
    const { member, isNew, replaced } = found;

    // 1. The member's subscription; a new member or a changed subscription bumps the group epoch.
    const previous = member.subscription;
    const next: MemberSubscription = {
      instanceId: p.instanceId ?? previous.instanceId,
      rackId: p.rackId ?? previous.rackId,
      clientId: p.clientId,
      clientHost: p.clientHost,
      subscribedTopicNames: p.subscribedTopicNames ?? previous.subscribedTopicNames,
      rebalanceTimeoutMs: p.rebalanceTimeoutMs !== -1 ? p.rebalanceTimeoutMs : previous.rebalanceTimeoutMs,
      serverAssignor: p.serverAssignor ?? previous.serverAssignor,
    };
    let bumpGroupEpoch = isNew;
    if (isNew || replaced !== undefined || !sameSubscription(previous, next)) {
      member.subscription = next;
      records.push(memberSubscriptionRecord(group.groupId, member));
      // As Apache's hasMemberSubscriptionChanged: only the topics bump the epoch (a new assignor applies from the next one).
      if (!sameSet(previous.subscribedTopicNames, next.subscribedTopicNames)) bumpGroupEpoch = true;
    }
    if (isNew || replaced !== undefined) group.addMember(member);

    // The subscribed topics' metadata: a topic created, deleted or grown also bumps the epoch.
    const subscribed = this.subscribedTopicsOf(group);
    if (!sameTopics(subscribed, group.subscribedTopics)) {
      group.subscribedTopics = subscribed;
      bumpGroupEpoch = true;
    }
    if (bumpGroupEpoch) {
      group.groupEpoch += 1;
      records.push(groupEpochRecord(group.groupId, group.groupEpoch));
      this.log.info(`bumped the epoch of consumer group ${group.groupId} to ${group.groupEpoch}`);
    }

    // 2. A newer group epoch (or a replaced static member) means a new target assignment.
    if (group.groupEpoch > group.assignmentEpoch || replaced !== undefined) this.updateTargetAssignment(group, records);

    // 3. The member reconciles towards its target.
    const before = member.assignment;
    this.reconcileMember(group, member, owned, records);
    this.scheduleSession(group, member);
    this.storage.appendRecords(group.groupId, records, now);

    const isFullRequest = p.memberEpoch === JOIN_GROUP_MEMBER_EPOCH || (p.rebalanceTimeoutMs !== -1 && p.subscribedTopicNames !== null && p.topicPartitions !== null);
    const changed = !assignmentsEqual(before.assignedPartitions, member.assignment.assignedPartitions);
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      memberId: member.memberId,
      memberEpoch: member.memberEpoch,
      heartbeatIntervalMs: this.config.heartbeatIntervalMs,
      assignment: isFullRequest || changed || isNew ? { topicPartitions: assignmentToList(member.assignment.assignedPartitions) } : null,
    };
  }

  private getOrMaybeCreateGroup(groupId: string, create: boolean, now: number): ConsumerGroup {
    const existing = this.get(groupId);
    if (existing) return existing;
    if (this.storage.hasLiveClassicGroup(groupId)) throw new HeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group.`);
    if (!create) throw new HeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${groupId} not found.`);
    const group = new ConsumerGroup(groupId);
    this.storage.ensureOffsetsHolder(groupId, now);
    this.groups.set(groupId, group);
    this.log.info(`created consumer group ${groupId}`);
    return group;
  }

  private newMember(group: ConsumerGroup, memberId: string): ConsumerGroupMember {
    if (group.members.size >= this.config.maxSize) throw new HeartbeatError(ErrorCode.GROUP_MAX_SIZE_REACHED, `The consumer group has reached its maximum capacity of ${this.config.maxSize} members.`);
    return new ConsumerGroupMember(memberId, { instanceId: null, rackId: null, clientId: '', clientHost: '', subscribedTopicNames: [], rebalanceTimeoutMs: -1, serverAssignor: null });
  }

  private dynamicMember(group: ConsumerGroup, p: HeartbeatParams, owned: Assignment | null): { member: ConsumerGroupMember; isNew: boolean; replaced?: ConsumerGroupMember } {
    // v0: the coordinator names a joining member that came without an id.
    const memberId = p.memberId === '' ? randomKafkaUuid() : p.memberId;
    const existing = group.members.get(memberId);
    if (existing) {
      this.throwIfEpochIsInvalid(existing, p.memberEpoch, owned);
      return { member: existing, isNew: false };
    }
    if (p.memberEpoch !== JOIN_GROUP_MEMBER_EPOCH) throw new HeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
    this.log.info(`member ${memberId} joins consumer group ${group.groupId}`);
    return { member: this.newMember(group, memberId), isNew: true };
  }

  private staticMember(group: ConsumerGroup, p: HeartbeatParams, owned: Assignment | null, records: KeyValue[]): { member: ConsumerGroupMember; isNew: boolean; replaced?: ConsumerGroupMember } {
    const instanceId = p.instanceId!;
    const currentId = group.staticMemberId(instanceId);
    const current = currentId !== undefined ? group.members.get(currentId) : undefined;
    if (p.memberEpoch === JOIN_GROUP_MEMBER_EPOCH) {
      if (!current) {
        const existing = group.members.get(p.memberId);
        if (existing) {
          this.throwIfEpochIsInvalid(existing, p.memberEpoch, owned);
          return { member: existing, isNew: false };
        }
        this.log.info(`static member ${p.memberId} (instance ${instanceId}) joins consumer group ${group.groupId}`);
        return { member: this.newMember(group, p.memberId), isNew: true };
      }
      if (current.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH && current.memberId === p.memberId) {
        this.throwIfEpochIsInvalid(current, p.memberEpoch, owned);
        return { member: current, isNew: false };
      }
      // Another instance with this id may take over only after the current one said it will rejoin (-2).
      if (current.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
        throw new HeartbeatError(ErrorCode.UNRELEASED_INSTANCE_ID, `Static member ${p.memberId} with instance id ${instanceId} cannot join the group because the instance id is owned by member ${current.memberId}.`);
      }
      // The new member takes over the old one's partitions and target assignment, without a rebalance.
      const member = new ConsumerGroupMember(p.memberId, { ...current.subscription });
      const target = group.targetAssignment.get(current.memberId) ?? EMPTY_ASSIGNMENT;
      const held: MemberAssignmentState = { ...current.assignment, memberEpoch: 0, previousMemberEpoch: 0 };
      this.removeMember(group, current, records, false);
      group.targetAssignment.set(member.memberId, target);
      records.push(targetAssignmentMemberRecord(group.groupId, member.memberId, target));
      group.updateAssignment(member, held);
      this.log.info(`static member ${p.memberId} (instance ${instanceId}) replaces ${current.memberId} in consumer group ${group.groupId}`);
      return { member, isNew: false, replaced: current };
    }
    if (!current) throw new HeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${instanceId} is unknown.`);
    if (current.memberId !== p.memberId) throw new HeartbeatError(ErrorCode.FENCED_INSTANCE_ID, `Static member ${p.memberId} with instance id ${instanceId} was fenced by member ${current.memberId}.`);
    this.throwIfEpochIsInvalid(current, p.memberEpoch, owned);
    return { member: current, isNew: false };
  }

  /**
   * Apache `throwIfMemberEpochIsInvalid`: a newer epoch than the member's is fenced; an older
   * one is accepted only if it is the previous epoch and the member owns no more than its
   * current assignment (the response bumping its epoch was lost).
   */
  private throwIfEpochIsInvalid(member: ConsumerGroupMember, received: number, owned: Assignment | null): void {
    const fenced = () => new HeartbeatError(ErrorCode.FENCED_MEMBER_EPOCH, `The consumer group member has a greater member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`);
    if (received > member.memberEpoch) throw fenced();
    if (received < member.memberEpoch) {
      if (received !== member.assignment.previousMemberEpoch || (owned !== null && !isSubset(owned, member.assignment.assignedPartitions))) {
        throw new HeartbeatError(ErrorCode.FENCED_MEMBER_EPOCH, `The consumer group member has a smaller member epoch (${received}) than the one known by the group coordinator (${member.memberEpoch}). The member must abandon all its partitions and rejoin.`);
      }
    }
  }

  /** Topic id → partition count of every existing topic some member subscribes to. */
  private subscribedTopicsOf(group: ConsumerGroup): Map<string, number> {
    const out = new Map<string, number>();
    for (const name of group.subscribedTopicNames()) {
      const t = this.topics.get(name);
      if (t) out.set(t.id, t.partitions);
    }
    return out;
  }

  /** The assignor most members ask for, else the configured default (Apache `preferredServerAssignor`). */
  private assignorFor(group: ConsumerGroup): ServerAssignor {
    const votes = new Map<string, number>();
    for (const m of group.members.values()) {
      const name = m.subscription.serverAssignor;
      if (name !== null) votes.set(name, (votes.get(name) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [name, n] of votes) if (best === undefined || n > votes.get(best)!) best = name;
    return this.config.assignors.find((a) => a.name === best) ?? this.config.assignors[0]!;
  }

  private updateTargetAssignment(group: ConsumerGroup, records: KeyValue[]): void {
    const assignor = this.assignorFor(group);
    const members: AssignorMember[] = [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      instanceId: m.subscription.instanceId,
      subscribedTopicIds: new Set(m.subscription.subscribedTopicNames.map((n) => this.topics.get(n)?.id).filter((id): id is string => id !== undefined && group.subscribedTopics.has(id))),
      currentTarget: group.targetAssignment.get(m.memberId) ?? EMPTY_ASSIGNMENT,
    }));
    const targets = assignor.assign(members, group.subscribedTopics);
    for (const m of members) {
      const target = targets.get(m.memberId) ?? EMPTY_ASSIGNMENT;
      const had = group.targetAssignment.get(m.memberId);
      if (had === undefined || !assignmentsEqual(had, target)) records.push(targetAssignmentMemberRecord(group.groupId, m.memberId, target));
      group.targetAssignment.set(m.memberId, target);
    }
    group.assignmentEpoch = group.groupEpoch;
    group.assignorName = assignor.name;
    records.push(targetAssignmentEpochRecord(group.groupId, group.assignmentEpoch));
    this.log.info(`computed target assignment of consumer group ${group.groupId} at epoch ${group.assignmentEpoch} with the ${assignor.name} assignor`);
  }

  private reconcileMember(group: ConsumerGroup, member: ConsumerGroupMember, owned: Assignment | null, records: KeyValue[]): void {
    const before = member.assignment;
    const next = reconcile(before, {
      targetEpoch: group.assignmentEpoch,
      target: group.targetAssignment.get(member.memberId) ?? EMPTY_ASSIGNMENT,
      ownedTopicPartitions: owned,
      heldByOther: (topicId, partition) => {
        const owner = group.ownerOf(topicId, partition);
        return owner !== undefined && owner !== member.memberId;
      },
    });
    if (next === before) return;
    group.updateAssignment(member, next);
    records.push(currentAssignmentRecord(group.groupId, member));
    if (next.state === MemberState.UNREVOKED_PARTITIONS) {
      // Revoking must not take longer than the member's rebalance timeout.
      if (before.state !== MemberState.UNREVOKED_PARTITIONS || before.memberEpoch !== next.memberEpoch) this.scheduleRevocationTimeout(group, member);
    } else {
      this.clearTimer(member, 'revocationTimer');
    }
  }

  // ---------------------------------------------------------------- leaving and fencing

  private leave(p: HeartbeatParams): HeartbeatResult {
    const group = this.get(p.groupId);
    if (!group) throw new HeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Consumer group ${p.groupId} not found.`);
    const now = this.now();
    let member: ConsumerGroupMember | undefined;
    if (p.instanceId === null) {
      member = group.members.get(p.memberId);
      if (!member) throw new HeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${p.memberId} is not a member of group ${group.groupId}.`);
    } else {
      const currentId = group.staticMemberId(p.instanceId);
      member = currentId !== undefined ? group.members.get(currentId) : undefined;
      if (!member) throw new HeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${p.instanceId} is unknown.`);
      if (member.memberId !== p.memberId) throw new HeartbeatError(ErrorCode.FENCED_INSTANCE_ID, `Static member ${p.memberId} with instance id ${p.instanceId} was fenced by member ${member.memberId}.`);
    }
    const response = { errorCode: ErrorCode.NONE, errorMessage: null, memberId: p.memberId, heartbeatIntervalMs: 0, assignment: null };
    if (p.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      // A static member that will come back keeps its partitions until its session expires.
      this.log.info(`static member ${member.memberId} (instance ${p.instanceId}) of consumer group ${group.groupId} left temporarily`);
      group.updateAssignment(member, { ...member.assignment, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH, previousMemberEpoch: member.memberEpoch });
      this.storage.appendRecords(group.groupId, [currentAssignmentRecord(group.groupId, member)], now);
      this.scheduleSession(group, member);
      return { ...response, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH };
    }
    this.log.info(`member ${member.memberId} left consumer group ${group.groupId}`);
    this.fence(group, member, now);
    return { ...response, memberEpoch: LEAVE_GROUP_MEMBER_EPOCH };
  }

  /** Removes the member, releasing its partitions, and bumps the group epoch so others rebalance. */
  private fence(group: ConsumerGroup, member: ConsumerGroupMember, now: number): void {
    const records: KeyValue[] = [];
    this.removeMember(group, member, records, true);
    this.storage.appendRecords(group.groupId, records, now);
  }

  private removeMember(group: ConsumerGroup, member: ConsumerGroupMember, records: KeyValue[], bumpEpoch: boolean): void {
    this.clearTimer(member, 'sessionTimer');
    this.clearTimer(member, 'revocationTimer');
    group.removeMember(member.memberId);
    records.push(...memberTombstones(group.groupId, member.memberId));
    if (bumpEpoch) {
      group.groupEpoch += 1;
      group.subscribedTopics = this.subscribedTopicsOf(group);
      records.push(groupEpochRecord(group.groupId, group.groupEpoch));
    }
  }

  private clearTimer(member: ConsumerGroupMember, which: 'sessionTimer' | 'revocationTimer'): void {
    const t = member[which];
    if (t) clearTimeout(t);
    member[which] = undefined;
  }

  private scheduleSession(group: ConsumerGroup, member: ConsumerGroupMember): void {
    if (this.closed) return;
    this.clearTimer(member, 'sessionTimer');
    const timer = this.timer(`session expiration of ${member.memberId}`, this.config.sessionTimeoutMs, () => {
      if (member.sessionTimer !== timer || group.members.get(member.memberId) !== member) return;
      this.log.info(`member ${member.memberId} of consumer group ${group.groupId} fenced: no heartbeat for ${this.config.sessionTimeoutMs} ms`);
      this.fence(group, member, this.now());
    });
    member.sessionTimer = timer;
  }

  private scheduleRevocationTimeout(group: ConsumerGroup, member: ConsumerGroupMember): void {
    if (this.closed) return;
    this.clearTimer(member, 'revocationTimer');
    const epoch = member.memberEpoch;
    const timeoutMs = Math.max(member.subscription.rebalanceTimeoutMs, 0);
    const timer = this.timer(`revocation timeout of ${member.memberId}`, timeoutMs, () => {
      if (member.revocationTimer !== timer || group.members.get(member.memberId) !== member) return;
      if (member.assignment.state !== MemberState.UNREVOKED_PARTITIONS || member.memberEpoch !== epoch) return;
      this.log.info(`member ${member.memberId} of consumer group ${group.groupId} fenced: partitions not revoked within ${timeoutMs} ms`);
      this.fence(group, member, this.now());
    });
    member.revocationTimer = timer;
  }

  // ---------------------------------------------------------------- offsets, admin

  /**
   * OffsetCommit to a consumer group (Apache `ConsumerGroup.validateOffsetCommit`): the error
   * for each committed partition (NONE: it may be stored). Anyone may commit to an empty group
   * with a negative epoch; otherwise the member must exist and commit with v9+
   * (non-transactional). Its current epoch commits anything; a newer one is stale; an older one
   * may still commit the partitions it held since that epoch or before (Apache 4.3's rule: a
   * commit racing the heartbeat that moved the member on is not lost). TxnOffsetCommit gets
   * ILLEGAL_GENERATION where OffsetCommit gets STALE_MEMBER_EPOCH.
   */
  validateOffsetCommit(group: ConsumerGroup, memberId: string, memberEpoch: number, apiVersion: number, transactional: boolean): (topic: string, partition: number) => number {
    const all = (code: number) => () => code;
    if (memberEpoch < 0 && group.members.size === 0) return all(ErrorCode.NONE);
    const member = group.members.get(memberId);
    if (!member) return all(ErrorCode.UNKNOWN_MEMBER_ID);
    if (!transactional && apiVersion < 9) return all(ErrorCode.UNSUPPORTED_VERSION);
    const stale = transactional ? ErrorCode.ILLEGAL_GENERATION : ErrorCode.STALE_MEMBER_EPOCH;
    if (memberEpoch === member.memberEpoch) return all(ErrorCode.NONE);
    if (memberEpoch > member.memberEpoch) return all(stale);
    return (topic, partition) => {
      const topicId = this.topics.get(topic)?.id;
      const since = topicId === undefined ? undefined : member.partitionEpochs.get(`${topicId}:${partition}`);
      return since !== undefined && memberEpoch >= since ? ErrorCode.NONE : stale;
    };
  }

  /** OffsetFetch v9+ naming a member: it must exist and carry its current epoch. */
  validateOffsetFetch(group: ConsumerGroup, memberId: string | null, memberEpoch: number): number | undefined {
    if (memberId === null && memberEpoch < 0) return undefined;
    const member = memberId === null ? undefined : group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (memberEpoch !== member.memberEpoch) return ErrorCode.STALE_MEMBER_EPOCH;
    return undefined;
  }

  /** Whether a member subscribes to the topic (OffsetDelete refuses its offsets). */
  isSubscribedToTopic(group: ConsumerGroup, topic: string): boolean {
    return group.subscribedTopicNames().has(topic);
  }

  /** Deletes an empty group's records (its offsets are the caller's). */
  deleteGroup(group: ConsumerGroup, now: number): void {
    group.dead = true;
    this.groups.delete(group.groupId);
    this.storage.appendRecords(group.groupId, groupTombstones(group.groupId), now);
    this.log.info(`consumer group ${group.groupId} deleted`);
  }

  describe(groupId: string, classicExists: boolean): DescribedConsumerGroup {
    const group = this.get(groupId);
    const blank = { groupState: '', groupEpoch: 0, assignmentEpoch: 0, assignorName: '', members: [], authorizedOperations: -2147483648 };
    if (this.closed) return { ...blank, groupId, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: null };
    if (!group) {
      return { ...blank, groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: classicExists ? `Group ${groupId} is not a consumer group.` : `Group ${groupId} not found.` };
    }
    const named = (a: Assignment) => ({
      topicPartitions: assignmentToList(a).map((tp) => ({ topicId: tp.topicId, topicName: this.topics.byId(tp.topicId)?.name ?? '', partitions: tp.partitions })),
    });
    return {
      errorCode: ErrorCode.NONE,
      errorMessage: null,
      groupId,
      groupState: group.state,
      groupEpoch: group.groupEpoch,
      assignmentEpoch: group.assignmentEpoch,
      assignorName: group.assignorName || this.assignorFor(group).name,
      members: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        instanceId: m.subscription.instanceId,
        rackId: m.subscription.rackId,
        memberEpoch: m.memberEpoch,
        clientId: m.subscription.clientId,
        clientHost: m.subscription.clientHost,
        subscribedTopicNames: [...m.subscription.subscribedTopicNames].sort(),
        // Apache describes a names-only subscription with an empty regex.
        subscribedTopicRegex: '',
        assignment: named(m.assignment.assignedPartitions),
        targetAssignment: named(group.targetAssignment.get(m.memberId) ?? EMPTY_ASSIGNMENT),
        memberType: CONSUMER_MEMBER_TYPE,
      })),
      authorizedOperations: -2147483648,
    };
  }

  // ---------------------------------------------------------------- load

  /** Rebuilds the groups from their records in `__consumer_offsets` order (startup). */
  replay(records: readonly ConsumerGroupRecord[]): void {
    const group = (id: string) => {
      let g = this.groups.get(id);
      if (!g) this.groups.set(id, (g = new ConsumerGroup(id)));
      return g;
    };
    const currents = new Map<string, Map<string, { state: MemberAssignmentState; partitionEpochs: Map<string, number> }>>();
    for (const r of records) {
      const g = group(r.groupId);
      switch (r.type) {
        case 'groupEpoch':
          if (r.epoch === null) this.groups.delete(r.groupId);
          else g.groupEpoch = r.epoch;
          break;
        case 'assignmentEpoch':
          if (r.epoch !== null) g.assignmentEpoch = r.epoch;
          break;
        case 'member':
          if (r.value === null) {
            g.removeMember(r.memberId);
          } else {
            const m = g.members.get(r.memberId) ?? new ConsumerGroupMember(r.memberId, r.value);
            m.subscription = { ...r.value, subscribedTopicNames: [...r.value.subscribedTopicNames] };
            g.addMember(m);
          }
          break;
        case 'target':
          if (r.target === null) g.targetAssignment.delete(r.memberId);
          else g.targetAssignment.set(r.memberId, r.target);
          break;
        case 'current': {
          let byMember = currents.get(r.groupId);
          if (!byMember) currents.set(r.groupId, (byMember = new Map()));
          if (r.value === null) byMember.delete(r.memberId);
          else {
            const v = r.value;
            const state = { state: v.state as MemberState, memberEpoch: v.memberEpoch, previousMemberEpoch: v.previousMemberEpoch, assignedPartitions: v.assignedPartitions, partitionsPendingRevocation: v.partitionsPendingRevocation };
            byMember.set(r.memberId, { state, partitionEpochs: v.partitionEpochs });
          }
          break;
        }
      }
    }
    for (const [groupId, byMember] of currents) {
      const g = this.groups.get(groupId);
      if (!g) continue;
      for (const [memberId, { state, partitionEpochs }] of byMember) {
        const m = g.members.get(memberId);
        if (!m) continue;
        g.updateAssignment(m, state);
        for (const [key, epoch] of partitionEpochs) if (m.partitionEpochs.has(key)) m.partitionEpochs.set(key, epoch);
      }
    }
    for (const g of this.groups.values()) {
      g.subscribedTopics = this.subscribedTopicsOf(g);
      g.assignorName = this.assignorFor(g).name;
      this.storage.ensureOffsetsHolder(g.groupId, this.now());
      // Members must heartbeat within a session timeout of the restart.
      for (const m of g.members.values()) this.scheduleSession(g, m);
    }
    if (this.groups.size > 0) this.log.info(`loaded ${this.groups.size} consumer group(s)`);
  }

  close(): void {
    this.closed = true;
    for (const g of this.groups.values()) {
      for (const m of g.members.values()) {
        this.clearTimer(m, 'sessionTimer');
        this.clearTimer(m, 'revocationTimer');
      }
    }
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size !== sb.size) return false;
  for (const x of sa) if (!sb.has(x)) return false;
  return true;
}

function sameSubscription(a: MemberSubscription, b: MemberSubscription): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.rackId === b.rackId &&
    a.clientId === b.clientId &&
    a.clientHost === b.clientHost &&
    a.rebalanceTimeoutMs === b.rebalanceTimeoutMs &&
    a.serverAssignor === b.serverAssignor &&
    sameSet(a.subscribedTopicNames, b.subscribedTopicNames)
  );
}

function sameTopics(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, n] of a) if (b.get(id) !== n) return false;
  return true;
}
