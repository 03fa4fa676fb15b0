import { describe, expect, it } from 'vitest';
import { type MemberAssignmentState, MemberState, reconcile } from '../../../../../servers/kafka/group/member-reconciliation.js';
import { type Assignment, assignmentOf } from '../../../../../servers/kafka/group/topic-partition-assignment.js';

const a = (...partitions: number[]): Assignment => assignmentOf([{ topicId: 'T', partitions }]);
const parts = (x: Assignment) => [...(x.get('T') ?? [])].sort((p, q) => p - q);
const state = (s: Partial<MemberAssignmentState>): MemberAssignmentState => ({
  state: MemberState.STABLE,
  memberEpoch: 1,
  previousMemberEpoch: 0,
  assignedPartitions: a(),
  partitionsPendingRevocation: a(),
  ...s,
});
const nobodyElse = () => false;

describe('member reconciliation (revocation before reassignment)', () => {
  it('a stable member at the target epoch stays as it is', () => {
    const m = state({ assignedPartitions: a(0, 1) });
    expect(reconcile(m, { targetEpoch: 1, target: a(0, 1), ownedTopicPartitions: null, heldByOther: nobodyElse })).toBe(m);
  });

  it('a joining member gets free partitions at once and moves to the target epoch', () => {
    const next = reconcile(state({ memberEpoch: 0 }), { targetEpoch: 3, target: a(0, 1), ownedTopicPartitions: a(), heldByOther: nobodyElse });
    expect(next).toMatchObject({ state: MemberState.STABLE, memberEpoch: 3, previousMemberEpoch: 0 });
    expect(parts(next.assignedPartitions)).toEqual([0, 1]);
  });

  it('losing partitions: the member keeps its epoch and must revoke first', () => {
    const m = state({ assignedPartitions: a(0, 1, 2, 3) });
    const next = reconcile(m, { targetEpoch: 2, target: a(0, 1), ownedTopicPartitions: null, heldByOther: nobodyElse });
    expect(next).toMatchObject({ state: MemberState.UNREVOKED_PARTITIONS, memberEpoch: 1 });
    expect(parts(next.assignedPartitions)).toEqual([0, 1]);
    expect(parts(next.partitionsPendingRevocation)).toEqual([2, 3]);
    // Heartbeats that do not report owned partitions, or still own a revoked one, change nothing.
    expect(reconcile(next, { targetEpoch: 2, target: a(0, 1), ownedTopicPartitions: null, heldByOther: nobodyElse })).toBe(next);
    expect(reconcile(next, { targetEpoch: 2, target: a(0, 1), ownedTopicPartitions: a(0, 1, 3), heldByOther: nobodyElse })).toBe(next);
    // Once it reports them gone it reaches the new epoch.
    const done = reconcile(next, { targetEpoch: 2, target: a(0, 1), ownedTopicPartitions: a(0, 1), heldByOther: nobodyElse });
    expect(done).toMatchObject({ state: MemberState.STABLE, memberEpoch: 2 });
    expect(parts(done.partitionsPendingRevocation)).toEqual([]);
  });

  it('a member that already dropped the partitions skips the revocation step', () => {
    const next = reconcile(state({ assignedPartitions: a(0, 1) }), { targetEpoch: 2, target: a(0), ownedTopicPartitions: a(0), heldByOther: nobodyElse });
    expect(next).toMatchObject({ state: MemberState.STABLE, memberEpoch: 2 });
    expect(parts(next.assignedPartitions)).toEqual([0]);
  });

  it('gaining partitions another member still holds: target epoch, unreleased, given later', () => {
    const held = new Set([1]);
    const m = state({ assignedPartitions: a(0) });
    const next = reconcile(m, { targetEpoch: 2, target: a(0, 1, 2), ownedTopicPartitions: null, heldByOther: (_t, p) => held.has(p) });
    expect(next).toMatchObject({ state: MemberState.UNRELEASED_PARTITIONS, memberEpoch: 2 });
    expect(parts(next.assignedPartitions)).toEqual([0, 2]);
    held.clear();
    const later = reconcile(next, { targetEpoch: 2, target: a(0, 1, 2), ownedTopicPartitions: null, heldByOther: () => false });
    expect(later).toMatchObject({ state: MemberState.STABLE, memberEpoch: 2 });
    expect(parts(later.assignedPartitions)).toEqual([0, 1, 2]);
  });

  it('revokes and gains at once: revocation comes first, the gain only after', () => {
    const m = state({ assignedPartitions: a(0, 1) });
    const next = reconcile(m, { targetEpoch: 2, target: a(1, 2), ownedTopicPartitions: null, heldByOther: nobodyElse });
    expect(next.state).toBe(MemberState.UNREVOKED_PARTITIONS);
    expect(parts(next.assignedPartitions)).toEqual([1]);
    const done = reconcile(next, { targetEpoch: 2, target: a(1, 2), ownedTopicPartitions: a(1), heldByOther: nobodyElse });
    expect(parts(done.assignedPartitions)).toEqual([1, 2]);
    expect(done.memberEpoch).toBe(2);
  });

  it('a new target arriving while revoking is followed once the revocation is acknowledged', () => {
    const revoking = reconcile(state({ assignedPartitions: a(0, 1, 2) }), { targetEpoch: 2, target: a(0, 1), ownedTopicPartitions: null, heldByOther: nobodyElse });
    const next = reconcile(revoking, { targetEpoch: 3, target: a(0), ownedTopicPartitions: a(0, 1), heldByOther: nobodyElse });
    expect(next).toMatchObject({ state: MemberState.UNREVOKED_PARTITIONS, memberEpoch: 1 });
    expect(parts(next.partitionsPendingRevocation)).toEqual([1]);
  });
});
