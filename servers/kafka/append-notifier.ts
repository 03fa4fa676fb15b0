/**
 * Wakes fetch long-polls when data arrives. A waiting fetch registers the partitions it
 * reads; an append to any of them calls its callback (the fetch then re-reads and decides
 * whether minBytes is met). Keys are `topic-partition`.
 */
export class AppendNotifier {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Calls `wake` on the next append to any of `keys`; returns the unsubscribe. */
  subscribe(keys: string[], wake: () => void): () => void {
    for (const k of keys) {
      let set = this.waiters.get(k);
      if (!set) this.waiters.set(k, (set = new Set()));
      set.add(wake);
    }
    return () => {
      for (const k of keys) {
        const set = this.waiters.get(k);
        set?.delete(wake);
        if (set?.size === 0) this.waiters.delete(k);
      }
    };
  }

  notify(key: string): void {
    const set = this.waiters.get(key);
    if (!set) return;
    for (const wake of [...set]) wake();
  }
}
