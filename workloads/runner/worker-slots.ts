/**
 * The bound on operations in flight, as a pool of worker slots. Each slot is a Jepsen
 * process: it runs one op at a time, and after an `info` outcome (the op may or may not have
 * happened) it continues under a fresh process id, `process + slots`, as Jepsen does, so no
 * process ever has two ops that could overlap.
 *
 * Free slots are handed out first-in first-out so load spreads over every slot (and hence
 * over every connection a workload maps slots to).
 */
export class WorkerSlots {
  private readonly processes: number[];
  private readonly free: number[];
  private head = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`in-flight bound must be a positive integer, got ${size}`);
    this.processes = Array.from({ length: size }, (_, i) => i);
    this.free = Array.from({ length: size }, (_, i) => i);
  }

  get inUse(): number {
    return this.size - (this.free.length - this.head);
  }

  /** A free slot, or null when `size` ops are already in flight. */
  acquire(): number | null {
    if (this.head === this.free.length) return null;
    const slot = this.free[this.head++]!;
    if (this.head > 1024 && this.head * 2 > this.free.length) {
      this.free.splice(0, this.head);
      this.head = 0;
    }
    return slot;
  }

  processOf(slot: number): number {
    return this.processes[slot]!;
  }

  /** After an `info` outcome: the slot continues under a fresh process id. */
  retireProcess(slot: number): void {
    this.processes[slot]! += this.size;
  }

  release(slot: number): void {
    this.free.push(slot);
  }
}
