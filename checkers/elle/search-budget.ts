/**
 * A wall-clock budget for cycle search. Searches call `tick()` in their inner loops; it
 * reads the clock only every few thousand ticks so the check costs nothing measurable.
 */
export class SearchBudget {
  private ticks = 0;
  private expired = false;

  constructor(private readonly deadline: number) {}

  static forMs(ms: number): SearchBudget {
    return new SearchBudget(Number.isFinite(ms) ? performance.now() + ms : Infinity);
  }

  /** Throws `SearchTimeout` once the deadline has passed. */
  tick(): void {
    if ((++this.ticks & 4095) !== 0) return;
    if (this.expired || performance.now() > this.deadline) {
      this.expired = true;
      throw new SearchTimeout();
    }
  }

  get isExpired(): boolean {
    if (!this.expired && performance.now() > this.deadline) this.expired = true;
    return this.expired;
  }

  /** The earlier of this budget and `ms` from now. */
  narrowed(ms: number): SearchBudget {
    return new SearchBudget(Math.min(this.deadline, performance.now() + ms));
  }
}

export class SearchTimeout extends Error {
  constructor() {
    super('cycle search budget exhausted');
  }
}
