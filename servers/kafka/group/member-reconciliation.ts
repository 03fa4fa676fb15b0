import { type Assignment, assignmentOf, intersects } from './topic-partition-assignment.js';

/**
 * A consumer-protocol member's reconciliation state (Apache `MemberState`; the numbers are
 * what ConsumerGroupCurrentMemberAssignmentValue stores).
 */
export const MemberState = {
  /** At the target epoch with the whole target assignment. */
  STABLE: 1,
  /** Must revoke partitions before it may move to the next epoch. */
  UNREVOKED_PARTITIONS: 2,
  /** At the target epoch, waiting for partitions other members still hold. */
  UNRELEASED_PARTITIONS: 3,
  UNKNOWN: 0,
} as const;
export type MemberState = (typeof MemberState)[keyof typeof MemberState];

export interface MemberAssignmentState {
  state: MemberState;
  memberEpoch: number;
  previousMemberEpoch: number;
  /** Partitions the member may consume. */
  assignedPartitions: Assignment;
  /** Partitions it still holds but has been asked to give up. */
  partitionsPendingRevocation: Assignment;
}

export interface ReconcileInput {
  targetEpoch: number;
  target: Assignment;
  /** The partitions the member reported it owns (null: not reported in this heartbeat). */
  ownedTopicPartitions: Assignment | null;
  /** Whether another member still holds (assigned or pending revocation) the partition. */
  heldByOther: (topicId: string, partition: number) => boolean;
}

/**
 * One reconciliation step (Apache `CurrentAssignmentBuilder`), the safety core of KIP-848: a
 * member moves towards its target assignment, but
 * - partitions it loses are first revoked: it stays in its epoch (UNREVOKED_PARTITIONS) until
 *   it reports it no longer owns them;
 * - partitions it gains are given only once no other member holds them; until then it waits
 *   at the target epoch in UNRELEASED_PARTITIONS and gets them on a later heartbeat.
 * So no partition is ever assigned to two members at once.
 */
export function reconcile(member: MemberAssignmentState, input: ReconcileInput): MemberAssignmentState {
  switch (member.state) {
    case MemberState.STABLE:
      if (member.memberEpoch !== input.targetEpoch) return computeNext(member, input);
      return member;
    case MemberState.UNREVOKED_PARTITIONS:
      // Without a report of what it owns, or still owning a revoked partition, it must wait.
      if (ownsRevokedPartitions(input.ownedTopicPartitions, member.partitionsPendingRevocation)) return member;
      return computeNext(member, input);
    case MemberState.UNRELEASED_PARTITIONS:
    default:
      return computeNext(member, input);
  }
}

function ownsRevokedPartitions(owned: Assignment | null, revoked: Assignment): boolean {
  if (owned === null) return true;
  return intersects(owned, revoked);
}

function computeNext(member: MemberAssignmentState, input: ReconcileInput): MemberAssignmentState {
  const current = member.assignedPartitions;
  const kept: Array<{ topicId: string; partitions: number[] }> = [];
  const revoke: Array<{ topicId: string; partitions: number[] }> = [];
  const gain: Array<{ topicId: string; partitions: number[] }> = [];
  let hasUnreleased = false;
  const topics = new Set<string>([...input.target.keys(), ...current.keys()]);
  for (const topicId of topics) {
    const target = input.target.get(topicId) ?? new Set<number>();
    const have = current.get(topicId) ?? new Set<number>();
    kept.push({ topicId, partitions: [...have].filter((p) => target.has(p)) });
    revoke.push({ topicId, partitions: [...have].filter((p) => !target.has(p)) });
    const pending = [...target].filter((p) => !have.has(p));
    const free = pending.filter((p) => !input.heldByOther(topicId, p));
    if (free.length < pending.length) hasUnreleased = true;
    gain.push({ topicId, partitions: free });
  }
  const keptA = assignmentOf(kept);
  const revokeA = assignmentOf(revoke);
  if (revokeA.size > 0 && ownsRevokedPartitions(input.ownedTopicPartitions, revokeA)) {
    // Revocation first: same epoch, the lost partitions are no longer in the assignment.
    return { state: MemberState.UNREVOKED_PARTITIONS, ...epochs(member, member.memberEpoch), assignedPartitions: keptA, partitionsPendingRevocation: revokeA };
  }
  return {
    state: hasUnreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
    ...epochs(member, input.targetEpoch),
    assignedPartitions: assignmentOf([...kept, ...gain]),
    partitionsPendingRevocation: new Map(),
  };
}

function epochs(member: MemberAssignmentState, next: number): { memberEpoch: number; previousMemberEpoch: number } {
  // Apache's updateMemberEpoch: the previous epoch is the one the member had before this step.
  return { memberEpoch: next, previousMemberEpoch: member.memberEpoch };
}
