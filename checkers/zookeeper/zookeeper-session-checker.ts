import type { Anomaly, CheckOptions, CheckResult, Checker } from '../checker.js';
import type { Op } from '../history/op.js';
import { checkEphemeralCleanup } from './ephemeral-cleanup.js';
import { checkReplyOrder } from './reply-order.js';
import { checkSequentialOrder } from './sequential-order.js';
import { checkStaleReads } from './stale-reads.js';
import { checkWatchOrder } from './watch-order.js';
import { readZkHistory } from './zk-history.js';
import { ZnodeWrites } from './znode-writes.js';
import { checkZxidOrder } from './zxid-order.js';

/** The rules, in the order their anomalies are reported. */
export const zookeeperSessionRules = [
  ['zk-reply-order', 'replies to one client come in the order its requests were sent (FIFO client order)'],
  ['zk-zxid-regression', "a session's zxids never go down"],
  ['zk-stale-read', 'a client never reads older state than it has already seen'],
  ['zk-watch-order', 'a client gets the watch event before it sees the data that fired it'],
  ['zk-sequential-order', "sequential znodes' suffixes are unique and grow with zxid and real time, per parent"],
  ['zk-ephemeral-leak', "a session's ephemeral znodes are gone once the session has ended"],
] as const;

/**
 * ZooKeeper's client guarantees (Programmer's Guide, "ZooKeeper guarantees" and "Watches"),
 * checked on a recorded history; they need no model search, so the check is linear-ish in
 * the history.
 */
export const zookeeperSessionChecker: Checker = {
  name: 'zookeeper-session',
  models: ['zookeeper-session'],
  async check(history: readonly Op[], model: string, _opts: CheckOptions = {}): Promise<CheckResult> {
    const started = performance.now();
    const zk = readZkHistory(history);
    const writes = new ZnodeWrites(zk.requests);
    const anomalies: Anomaly[] = [];
    checkReplyOrder(zk, anomalies);
    checkZxidOrder(zk, anomalies);
    checkStaleReads(zk, writes, anomalies);
    checkWatchOrder(zk, writes, anomalies);
    checkSequentialOrder(zk, anomalies);
    checkEphemeralCleanup(zk, anomalies);
    const types = zookeeperSessionRules.map(([t]) => t as string).filter((t) => anomalies.some((a) => a.type === t));
    const clients = new Set(zk.requests.map((r) => r.client)).size;
    const summary =
      anomalies.length === 0
        ? `All ${zookeeperSessionRules.length} session rules hold over ${zk.requests.length} requests from ${clients} clients and ${zk.events.length} events.`
        : `${anomalies.length} violation(s) of ${types.length} ZooKeeper session rule(s): ${types.join(', ')}. ${anomalies[0]!.explanation}`;
    return {
      checker: 'zookeeper-session',
      model,
      valid: anomalies.length === 0,
      anomalyTypes: types,
      anomalies,
      summary,
      stats: {
        requests: zk.requests.length,
        replies: zk.requests.filter((r) => r.reply).length,
        events: zk.events.length,
        clients,
        elapsedMs: performance.now() - started,
      },
    };
  },
};
