import { type Assignment, assignmentHas } from './topic-partition-assignment.js';

/** What an assignor sees of a member: its subscription (topic ids) and its current target. */
export interface AssignorMember {
  memberId: string;
  /** Static members keep their target across a restart of the instance (KIP-848). */
  instanceId: string | null;
  subscribedTopicIds: ReadonlySet<string>;
  currentTarget: Assignment;
}

/** Topics the group subscribes to: id → partition count. */
export type SubscribedTopics = ReadonlyMap<string, number>;

export interface ServerAssignor {
  name: string;
  /** The target assignment of every member (members without partitions get an empty one). */
  assign(members: readonly AssignorMember[], topics: SubscribedTopics): Map<string, Assignment>;
}

function sortedMembers(members: readonly AssignorMember[]): AssignorMember[] {
  return [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

function sortedTopicIds(topics: SubscribedTopics): string[] {
  return [...topics.keys()].sort();
}

/**
 * `uniform` (Apache's default): every partition of the subscribed topics goes to one
 * subscriber, counts differ by at most one among members sharing a subscription, and a
 * member keeps the partitions it already had as far as the balance allows (stickiness keeps
 * revocations, hence rebalances, short). Deterministic: members are taken in member id order
 * and partitions in (topic id, partition) order.
 */
export const uniformAssignor: ServerAssignor = {
  name: 'uniform',
  assign(members, topics) {
    const ordered = sortedMembers(members);
    const result = new Map<string, Map<string, Set<number>>>(ordered.map((m) => [m.memberId, new Map()]));
    const counts = new Map<string, number>(ordered.map((m) => [m.memberId, 0]));
    const give = (memberId: string, topicId: string, p: number) => {
      const a = result.get(memberId)!;
      let set = a.get(topicId);
      if (!set) a.set(topicId, (set = new Set()));
      set.add(p);
      counts.set(memberId, counts.get(memberId)! + 1);
    };
    // Each member's fair share: its subscribed partitions divided among the members sharing them.
    const quota = new Map<string, number>();
    for (const m of ordered) {
      let share = 0;
      for (const t of m.subscribedTopicIds) {
        const partitions = topics.get(t);
        if (partitions === undefined) continue;
        const sharing = ordered.filter((o) => o.subscribedTopicIds.has(t)).length;
        share += partitions / sharing;
      }
      quota.set(m.memberId, Math.ceil(share));
    }
    const taken = new Set<string>();
    // Sticky pass: keep current targets that are still valid, up to the quota.
    for (const m of ordered) {
      for (const t of sortedTopicIds(topics)) {
        if (!m.subscribedTopicIds.has(t)) continue;
        const current = m.currentTarget.get(t);
        if (!current) continue;
        for (const p of [...current].sort((a, b) => a - b)) {
          if (p >= topics.get(t)! || counts.get(m.memberId)! >= quota.get(m.memberId)!) continue;
          taken.add(`${t}:${p}`);
          give(m.memberId, t, p);
        }
      }
    }
    // Balance pass: with one subscription for all, counts are floor or floor + 1, and only
    // `total % members` members may hold floor + 1.
    const homogeneous = ordered.every((m) => sameSet(m.subscribedTopicIds, ordered[0]!.subscribedTopicIds));
    if (homogeneous && ordered.length > 0) {
      let total = 0;
      for (const t of ordered[0]!.subscribedTopicIds) total += topics.get(t) ?? 0;
      const floor = Math.floor(total / ordered.length);
      let extras = total % ordered.length;
      for (const m of ordered) {
        if (counts.get(m.memberId)! <= floor) continue;
        if (extras > 0) extras--;
        else revokeDown(m.memberId, floor);
      }
      // Fill everyone up to floor, then hand out the remaining extras one each.
      for (const { t, p } of unassigned()) {
        let target = ordered.find((m) => counts.get(m.memberId)! < floor);
        if (!target && extras > 0) {
          target = ordered.find((m) => counts.get(m.memberId)! === floor);
          if (target) extras--;
        }
        if (!target) break;
        taken.add(`${t}:${p}`);
        give(target.memberId, t, p);
      }
    } else {
      // Heterogeneous subscriptions: each free partition to its least-loaded subscriber.
      for (const { t, p } of unassigned()) {
        let best: AssignorMember | undefined;
        for (const m of ordered) {
          if (!m.subscribedTopicIds.has(t)) continue;
          if (!best || counts.get(m.memberId)! < counts.get(best.memberId)!) best = m;
        }
        if (!best) continue;
        taken.add(`${t}:${p}`);
        give(best.memberId, t, p);
      }
    }
    return result as Map<string, Assignment>;

    function revokeDown(memberId: string, to: number): void {
      const a = result.get(memberId)!;
      // Give back the highest partitions first (deterministic).
      const all = [...a.entries()].flatMap(([t, ps]) => [...ps].map((p) => ({ t, p }))).sort((x, y) => (x.t === y.t ? y.p - x.p : x.t < y.t ? 1 : -1));
      for (const { t, p } of all) {
        if (counts.get(memberId)! <= to) break;
        a.get(t)!.delete(p);
        if (a.get(t)!.size === 0) a.delete(t);
        taken.delete(`${t}:${p}`);
        counts.set(memberId, counts.get(memberId)! - 1);
      }
    }
    function* unassigned(): Generator<{ t: string; p: number }> {
      for (const t of sortedTopicIds(topics)) {
        if (!ordered.some((m) => m.subscribedTopicIds.has(t))) continue;
        for (let p = 0; p < topics.get(t)!; p++) if (!taken.has(`${t}:${p}`)) yield { t, p };
      }
    }
  },
};

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * `range`: per topic, its subscribers in member id order each get a contiguous range of
 * partitions, the first `partitions % subscribers` one more (the classic RangeAssignor's
 * layout, so co-partitioned topics are assigned alike).
 */
export const rangeAssignor: ServerAssignor = {
  name: 'range',
  assign(members, topics) {
    const ordered = sortedMembers(members);
    const result = new Map<string, Map<string, Set<number>>>(ordered.map((m) => [m.memberId, new Map()]));
    for (const t of sortedTopicIds(topics)) {
      const subscribers = ordered.filter((m) => m.subscribedTopicIds.has(t));
      if (subscribers.length === 0) continue;
      const n = topics.get(t)!;
      const base = Math.floor(n / subscribers.length);
      const extra = n % subscribers.length;
      let next = 0;
      subscribers.forEach((m, i) => {
        const count = base + (i < extra ? 1 : 0);
        if (count === 0) return;
        const set = new Set<number>();
        for (let k = 0; k < count; k++) set.add(next++);
        result.get(m.memberId)!.set(t, set);
      });
    }
    return result as Map<string, Assignment>;
  },
};

/** Apache's `group.consumer.assignors` default, in order: the first is the group's default. */
export const SERVER_ASSIGNORS: readonly ServerAssignor[] = [uniformAssignor, rangeAssignor];

export function serverAssignor(name: string): ServerAssignor | undefined {
  return SERVER_ASSIGNORS.find((a) => a.name === name);
}

/** Whether `memberId`'s target holds the partition (used by tests and the reconciliation). */
export function targetHas(targets: ReadonlyMap<string, Assignment>, memberId: string, topicId: string, partition: number): boolean {
  const a = targets.get(memberId);
  return a ? assignmentHas(a, topicId, partition) : false;
}
