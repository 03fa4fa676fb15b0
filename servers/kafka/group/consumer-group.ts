import { type MemberAssignmentState, MemberState } from './member-reconciliation.js';
import { type Assignment, EMPTY_ASSIGNMENT, eachPartition } from './topic-partition-assignment.js';

/** Apache's `ConsumerGroup.ConsumerGroupState`, named as ListGroups and ConsumerGroupDescribe report them. */
export type ConsumerGroupState = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable' | 'Dead';

/** What a member told the coordinator about itself (ConsumerGroupMemberMetadataValue). */
export interface MemberSubscription {
  instanceId: string | null;
  rackId: string | null;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  rebalanceTimeoutMs: number;
  serverAssignor: string | null;
}

/** A consumer-protocol member: its subscription, its reconciliation state and its timers. */
export class ConsumerGroupMember {
  assignment: MemberAssignmentState = {
    state: MemberState.STABLE,
    memberEpoch: 0,
    previousMemberEpoch: 0,
    assignedPartitions: EMPTY_ASSIGNMENT,
    partitionsPendingRevocation: EMPTY_ASSIGNMENT,
  };
  /** `topicId:partition` → the member epoch at which it received the partition (commits with an older epoch are stale). */
  partitionEpochs = new Map<string, number>();
  sessionTimer: NodeJS.Timeout | undefined;
  /** Runs while the member has partitions to revoke; it is fenced if they are not revoked in time. */
  revocationTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly memberId: string,
    public subscription: MemberSubscription,
  ) {}

  get memberEpoch(): number {
    return this.assignment.memberEpoch;
  }
}

/**
 * One KIP-848 consumer group (Apache `ConsumerGroup`): the group epoch (bumped whenever the
 * membership, a subscription or the subscribed topics' metadata change), the target
 * assignment and the epoch it was computed for, the members and which member currently holds
 * each partition (assigned or pending revocation), so no partition is given twice.
 * Committed offsets are not here: they stay in the group store's ClassicGroup record for the
 * same id, as Apache keeps offsets apart from groups (OffsetMetadataManager).
 */
export class ConsumerGroup {
  groupEpoch = 0;
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerGroupMember>();
  private readonly staticMembers = new Map<string, string>();
  readonly targetAssignment = new Map<string, Assignment>();
  /** `topicId:partition` → id of the member holding it. */
  private readonly owners = new Map<string, string>();
  /** The subscribed topics' metadata (topic id → partitions) the target was computed from. */
  subscribedTopics: ReadonlyMap<string, number> = new Map();
  /** The assignor of the last target computation (ConsumerGroupDescribe's assignorName). */
  assignorName = '';
  dead = false;

  constructor(readonly groupId: string) {}

  get state(): ConsumerGroupState {
    if (this.dead) return 'Dead';
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values()) {
      if (m.memberEpoch !== this.assignmentEpoch || m.assignment.state !== MemberState.STABLE) return 'Reconciling';
    }
    return 'Stable';
  }

  staticMemberId(instanceId: string): string | undefined {
    return this.staticMembers.get(instanceId);
  }

  addMember(member: ConsumerGroupMember): void {
    this.members.set(member.memberId, member);
    if (member.subscription.instanceId !== null) this.staticMembers.set(member.subscription.instanceId, member.memberId);
  }

  removeMember(memberId: string): ConsumerGroupMember | undefined {
    const member = this.members.get(memberId);
    if (!member) return undefined;
    this.releasePartitions(member);
    this.members.delete(memberId);
    this.targetAssignment.delete(memberId);
    const instanceId = member.subscription.instanceId;
    if (instanceId !== null && this.staticMembers.get(instanceId) === memberId) this.staticMembers.delete(instanceId);
    return member;
  }

  /** Replaces the member's reconciliation state, keeping the partition owners and epochs in step. */
  updateAssignment(member: ConsumerGroupMember, next: MemberAssignmentState): void {
    this.releasePartitions(member);
    member.assignment = next;
    const epochs = new Map<string, number>();
    for (const a of [next.assignedPartitions, next.partitionsPendingRevocation]) {
      for (const { topicId, partition } of eachPartition(a)) {
        const key = `${topicId}:${partition}`;
        this.owners.set(key, member.memberId);
        epochs.set(key, member.partitionEpochs.get(key) ?? next.memberEpoch);
      }
    }
    member.partitionEpochs = epochs;
  }

  private releasePartitions(member: ConsumerGroupMember): void {
    for (const a of [member.assignment.assignedPartitions, member.assignment.partitionsPendingRevocation]) {
      for (const { topicId, partition } of eachPartition(a)) {
        const key = `${topicId}:${partition}`;
        if (this.owners.get(key) === member.memberId) this.owners.delete(key);
      }
    }
  }

  /** The member holding the partition, if any. */
  ownerOf(topicId: string, partition: number): string | undefined {
    return this.owners.get(`${topicId}:${partition}`);
  }

  /** Topic names any member subscribes to. */
  subscribedTopicNames(): Set<string> {
    const out = new Set<string>();
    for (const m of this.members.values()) for (const t of m.subscription.subscribedTopicNames) out.add(t);
    return out;
  }
}
