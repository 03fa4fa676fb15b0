import { showZxid, type ZkRequest } from './zk-history.js';

/** One acknowledged change of a znode, at the zxid its reply carried. */
export interface ZnodeWrite {
  request: ZkRequest;
  zxid: bigint;
  /** Whether the znode exists after it. */
  exists: boolean;
}

/**
 * Every acknowledged create, set and delete with a zxid, per path in zxid order: the
 * ground truth that reads are judged against. Writes without a reply (info) may or may not
 * have happened, so they are kept apart as `uncertain`.
 */
export class ZnodeWrites {
  private readonly byPath = new Map<string, ZnodeWrite[]>();
  private readonly uncertainByPath = new Map<string, ZkRequest[]>();

  constructor(requests: readonly ZkRequest[]) {
    for (const r of requests) {
      if (r.path === undefined || !(r.f === 'create' || r.f === 'set' || r.f === 'delete')) continue;
      if (!r.reply) {
        push(this.uncertainByPath, r.path, r);
      } else if (r.ok && r.zxid !== undefined) {
        push(this.byPath, r.path, { request: r, zxid: r.zxid, exists: r.f !== 'delete' });
      }
    }
    for (const list of this.byPath.values()) list.sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
  }

  /** The last acknowledged write to `path` at or below `zxid`. */
  lastAtOrBefore(path: string, zxid: bigint): ZnodeWrite | undefined {
    let found: ZnodeWrite | undefined;
    for (const w of this.byPath.get(path) ?? []) {
      if (w.zxid > zxid) break;
      found = w;
    }
    return found;
  }

  /** The first acknowledged write to `path` after `zxid`, optionally only of one kind. */
  firstAfter(path: string, zxid: bigint, f?: string): ZnodeWrite | undefined {
    return (this.byPath.get(path) ?? []).find((w) => w.zxid > zxid && (f === undefined || w.request.f === f));
  }

  /** Writes to `path` that got no reply and were invoked before op index `before`. */
  uncertain(path: string, before: number): ZkRequest[] {
    return (this.uncertainByPath.get(path) ?? []).filter((r) => r.invoke.index < before);
  }

  describe(w: ZnodeWrite): string {
    return `${w.request.f} ${w.request.path} by client ${w.request.client} at zxid ${showZxid(w.zxid)} (op ${w.request.reply!.index})`;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  list.push(value);
}
