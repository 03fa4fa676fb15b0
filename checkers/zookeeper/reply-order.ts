import type { Anomaly } from '../checker.js';
import { describeRequest, type ZkHistory, type ZkRequest } from './zk-history.js';

/**
 * FIFO client order: ZooKeeper answers one client's requests in the order it sent them. A
 * reply that overtakes the reply to an earlier request of the same client is a violation.
 * Send order is the request `xid` when both have one, else the order of the invocations.
 */
export function checkReplyOrder(history: ZkHistory, anomalies: Anomaly[]): void {
  const byClient = groupBy(
    history.requests.filter((r) => r.reply !== undefined),
    (r) => r.client,
  );
  for (const [client, replied] of byClient) {
    replied.sort((a, b) => a.reply!.index - b.reply!.index);
    let latest: ZkRequest | undefined; // the latest-sent request answered so far
    for (const r of replied) {
      if (latest && sentBefore(r, latest)) {
        anomalies.push({
          type: 'zk-reply-order',
          explanation: `Client ${client} got the reply to ${describeRequest(r)} after the reply to ${describeRequest(latest)}, which it sent later: ZooKeeper answers a client's requests in the order they were sent.`,
          ops: [r.invoke.index, r.reply!.index, latest.invoke.index, latest.reply!.index],
        });
      }
      if (!latest || sentBefore(latest, r)) latest = r;
    }
  }
}

function sentBefore(a: ZkRequest, b: ZkRequest): boolean {
  if (a.xid !== undefined && b.xid !== undefined) return a.xid < b.xid;
  return a.invoke.index < b.invoke.index;
}

export function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}
