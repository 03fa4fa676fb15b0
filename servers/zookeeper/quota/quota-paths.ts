/** Where Apache keeps quota bookkeeping (`Quotas.java`). */
export const QUOTA_ROOT = '/zookeeper/quota';
export const LIMIT_NODE = 'zookeeper_limits';
export const STAT_NODE = 'zookeeper_stats';

export function quotaLimitPath(path: string): string {
  return `${QUOTA_ROOT}${path}/${LIMIT_NODE}`;
}

export function quotaStatPath(path: string): string {
  return `${QUOTA_ROOT}${path}/${STAT_NODE}`;
}

/** "/zookeeper/quota/a/b" → "/a/b" */
export function trimQuotaPath(quotaPath: string): string {
  return quotaPath.slice(QUOTA_ROOT.length);
}

/**
 * The set of paths that carry a quota, answering "the deepest quota'd ancestor-or-self of
 * this path" (Apache's `PathTrie.findMaxPrefix`, component-wise, so /a covers /a/b, not /ab).
 */
export class QuotaPathSet {
  private readonly paths = new Set<string>();

  add(path: string): void {
    this.paths.add(path);
  }
  delete(path: string): void {
    this.paths.delete(path);
  }
  clear(): void {
    this.paths.clear();
  }
  get size(): number {
    return this.paths.size;
  }

  /** The deepest quota'd prefix of `path`, or null (the root never counts). */
  maxPrefix(path: string): string | null {
    if (this.paths.size === 0) return null;
    let current = path;
    for (;;) {
      if (current === '/' || current === '') return null;
      if (this.paths.has(current)) return current;
      const slash = current.lastIndexOf('/');
      current = slash <= 0 ? '/' : current.slice(0, slash);
    }
  }
}
