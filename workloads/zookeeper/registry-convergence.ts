import type { Anomaly, CheckResult } from '../../checkers/checker.js';
import type { Op } from '../../checkers/history/op.js';

/**
 * What zk-registry records at the end (after the last heal and a session timeout): the
 * members and config really in ZooKeeper (`final-members`, `final-config`, read fresh), what
 * each member process last did, and each watcher's view, kept up to date by watches alone
 * (`final-view`). Rules:
 *
 * - `missed-final-state`: a watcher's final view differs from what ZooKeeper holds: it missed
 *   a notification (ZooKeeper promises a watcher sees every change eventually, a watch per
 *   change at most, and the replay of watches after a reconnect).
 * - `config-went-back`: a watcher saw config values out of write order (a client never sees
 *   older state after newer, even across servers).
 * - `left-member-present`: a member whose last op was a clean, acknowledged leave is still
 *   registered; `joined-member-missing`: a member whose last op was an acknowledged join and
 *   whose session is still alive is not registered.
 */
export interface RegistryFinalState {
  members: string[];
  config: string | null;
  /** Per member: its last acknowledged op (join/leave), whether anything after it is unknown, and whether its session lives. */
  memberStates: Record<string, { last: 'join' | 'leave' | null; uncertain: boolean; sessionAlive: boolean }>;
}

export function checkRegistryConvergence(history: readonly Op[]): CheckResult {
  const started = performance.now();
  const finalMembers = lastValue<string[]>(history, 'final-members');
  const finalConfig = lastValue<string | null>(history, 'final-config');
  const states = lastValue<RegistryFinalState['memberStates']>(history, 'final-member-states') ?? {};
  const anomalies: Anomaly[] = [];
  if (finalMembers === undefined) {
    return {
      checker: 'registry-convergence',
      model: 'zk-registry',
      valid: 'unknown',
      anomalyTypes: [],
      anomalies: [],
      summary: 'The run ended before the final state could be read (the final phase did not run or could not reach ZooKeeper): convergence cannot be judged.',
    };
  }
  const truth = [...finalMembers].sort();
  const views = history.filter((op) => op.f === 'final-view');
  for (const v of views) {
    const view = v.value as { members: string[]; config: string | null };
    const members = [...view.members].sort();
    if (members.join(',') !== truth.join(',') || view.config !== finalConfig) {
      anomalies.push({
        type: 'missed-final-state',
        explanation: `Watcher ${String(v.process)} ended with members [${members.join(', ')}] and config ${JSON.stringify(view.config)}, but ZooKeeper holds [${truth.join(', ')}] and ${JSON.stringify(finalConfig)}: it missed a change its watches should have reported.`,
        ops: [v.index],
      });
    }
  }
  // Config values a watcher saw, in order: each write is a larger number.
  const seen = new Map<string, { value: number; op: number }>();
  for (const op of history) {
    if (op.f !== 'view' || typeof op.process !== 'string') continue;
    const config = (op.value as { config?: unknown } | null)?.config;
    if (typeof config !== 'string') continue;
    const n = Number(config);
    const before = seen.get(op.process);
    if (before && n < before.value) {
      anomalies.push({
        type: 'config-went-back',
        explanation: `Watcher ${op.process} read config ${config} (op ${op.index}) after it had read ${before.value} (op ${before.op}): a client must never see older data after newer.`,
        ops: [before.op, op.index],
      });
    }
    if (!before || n >= before.value) seen.set(op.process, { value: n, op: op.index });
  }
  for (const [member, s] of Object.entries(states)) {
    if (s.uncertain) continue;
    const present = truth.includes(member);
    if (s.last === 'leave' && present) {
      anomalies.push({ type: 'left-member-present', explanation: `Member ${member} left (acknowledged) and did nothing after, yet it is still registered.` });
    }
    if (s.last === 'join' && s.sessionAlive && !present) {
      anomalies.push({ type: 'joined-member-missing', explanation: `Member ${member} joined (acknowledged) and its session is alive, yet it is not registered.` });
    }
  }
  const order = ['missed-final-state', 'config-went-back', 'left-member-present', 'joined-member-missing'];
  const types = order.filter((t) => anomalies.some((a) => a.type === t));
  return {
    checker: 'registry-convergence',
    model: 'zk-registry',
    valid: views.length === 0 ? 'unknown' : anomalies.length === 0,
    anomalyTypes: types,
    anomalies,
    summary:
      views.length === 0
        ? 'No watcher reported a final view: convergence cannot be judged.'
        : anomalies.length === 0
          ? `All ${views.length} watchers converged on ZooKeeper's final state (${truth.length} members, config ${JSON.stringify(finalConfig)}) from watches alone; config never went back; registrations match what members last did.`
          : `${anomalies.length} violation(s): ${types.join(', ')}. ${anomalies[0]!.explanation}`,
    stats: { watchers: views.length, finalMembers: truth.length, elapsedMs: performance.now() - started },
  };
}

function lastValue<T>(history: readonly Op[], f: string): T | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.f === f) return history[i]!.value as T;
  return undefined;
}
