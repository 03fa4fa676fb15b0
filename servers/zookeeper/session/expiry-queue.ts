/**
 * Apache's `ExpiryQueue`: elements expire in buckets aligned to `interval` (the tickTime), so
 * the tracker wakes once per tick instead of once per session.
 */
export class ExpiryQueue<E> {
  private readonly elemMap = new Map<E, number>();
  private readonly expiryMap = new Map<number, Set<E>>();
  private nextExpirationTime: number;

  constructor(
    private readonly interval: number,
    private readonly now: () => number,
  ) {
    this.nextExpirationTime = this.roundToNextInterval(now());
  }

  private roundToNextInterval(time: number): number {
    return (Math.floor(time / this.interval) + 1) * this.interval;
  }

  remove(elem: E): number | undefined {
    const at = this.elemMap.get(elem);
    if (at !== undefined) {
      this.elemMap.delete(elem);
      this.expiryMap.get(at)?.delete(elem);
    }
    return at;
  }

  /** (Re)schedules `elem` to expire `timeout` ms from now, rounded up to the next bucket. */
  update(elem: E, timeout: number): number | null {
    const prev = this.elemMap.get(elem);
    const next = this.roundToNextInterval(this.now() + timeout);
    if (next === prev) return null;
    let set = this.expiryMap.get(next);
    if (set === undefined) {
      set = new Set();
      this.expiryMap.set(next, set);
    }
    set.add(elem);
    this.elemMap.set(elem, next);
    if (prev !== undefined) this.expiryMap.get(prev)?.delete(elem);
    return next;
  }

  waitTime(): number {
    const now = this.now();
    return now < this.nextExpirationTime ? this.nextExpirationTime - now : 0;
  }

  /** The elements of the bucket due now (empty before it is due). */
  poll(): Set<E> {
    const now = this.now();
    const due = this.nextExpirationTime;
    if (now < due) return new Set();
    this.nextExpirationTime = due + this.interval;
    const set = this.expiryMap.get(due);
    this.expiryMap.delete(due);
    if (set === undefined) return new Set();
    for (const e of set) this.elemMap.delete(e);
    return set;
  }

  expiryOf(elem: E): number | undefined {
    return this.elemMap.get(elem);
  }

  buckets(): Array<[number, E[]]> {
    return [...this.expiryMap.entries()].sort((a, b) => a[0] - b[0]).map(([t, s]) => [t, [...s]]);
  }
}
