import type { Logger } from '../../common/logger.js';
import type { ActiveFault, RunSession } from '../runner/index.js';
import { pickOne, type Fault, type FaultInstance } from './fault.js';

export interface NemesisSchedulerOptions {
  session: RunSession;
  faults: readonly Fault[];
  /**
   * Mean seconds between nemesis actions. Each wait is drawn uniformly from
   * [0.5, 1.5] × interval (Jepsen staggers its nemesis generator the same way), so faults
   * neither line up with a fixed beat nor bunch up.
   */
  intervalSeconds: number;
  random: () => number;
  log: Logger;
}

/** What the nemesis did, for results.json's extra and the run log. */
export interface NemesisSummary {
  started: Record<string, number>;
  errors: string[];
}

interface InForce {
  fault: Fault;
  instance: FaultInstance;
  band: ActiveFault;
}

/**
 * Runs faults Jepsen-style: every staggered interval it picks one of the faults at random
 * and flips it: starts it when it is not in force, heals it when it is (a mix of
 * flip-flops, so different faults may overlap). Every start and stop is a `nemesis` op in
 * the history and a band on the report's charts. `stop()` ends the schedule and heals
 * everything (the final generator), whatever happened before.
 */
export class NemesisScheduler {
  private readonly inForce = new Map<string, InForce>();
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly summary: NemesisSummary = { started: {}, errors: [] };

  constructor(private readonly opts: NemesisSchedulerOptions) {}

  start(): void {
    if (this.loop) return;
    this.loop = this.run().catch((err: unknown) => {
      this.recordError('nemesis', err);
    });
  }

  private async run(): Promise<void> {
    const { session, faults, random } = this.opts;
    const signal = this.abort.signal;
    if (faults.length === 0) return;
    while (!signal.aborted) {
      const waitNs = BigInt(Math.round(this.opts.intervalSeconds * (0.5 + random()) * 1e9));
      await session.clock.sleepUntil(session.clock.now() + waitNs, signal);
      if (signal.aborted) return;
      const fault = pickOne(faults, random);
      if (this.inForce.has(fault.name)) await this.heal(fault.name);
      else await this.begin(fault);
    }
  }

  private async begin(fault: Fault): Promise<void> {
    try {
      const instance = await fault.start();
      const band = this.opts.session.nemesis.begin(fault.name, instance.nodes, instance.detail);
      this.inForce.set(fault.name, { fault, instance, band });
      this.summary.started[fault.name] = (this.summary.started[fault.name] ?? 0) + 1;
      const description = (instance.detail as { description?: unknown } | null)?.description;
      this.opts.log.info(`nemesis: start ${fault.name} on ${instance.nodes.join(', ') || 'no node'}${typeof description === 'string' ? ` (${description})` : ''}`);
    } catch (err) {
      this.recordError(`start-${fault.name}`, err);
    }
  }

  private async heal(name: string): Promise<void> {
    const entry = this.inForce.get(name);
    if (!entry) return;
    this.inForce.delete(name);
    try {
      const result = await entry.instance.heal();
      entry.band.end(result);
      this.opts.log.info(`nemesis: stop ${name}`);
    } catch (err) {
      entry.band.end({ error: String(err) });
      this.recordError(`stop-${name}`, err);
    }
  }

  /**
   * Ends the schedule, heals every instance in force (recording the stops), then asks every
   * fault to undo anything left (`healAll`), so the cluster is whole again even after errors.
   */
  async stop(): Promise<NemesisSummary> {
    this.abort.abort();
    await this.loop;
    for (const name of [...this.inForce.keys()]) await this.heal(name);
    for (const fault of this.opts.faults) {
      try {
        await fault.healAll();
      } catch (err) {
        this.recordError(`heal-${fault.name}`, err);
      }
    }
    return this.summary;
  }

  /** Faults in force right now (tests, progress lines). */
  get active(): string[] {
    return [...this.inForce.keys()];
  }

  private recordError(what: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.summary.errors.push(`${what}: ${message}`);
    this.opts.log.warn(`nemesis: ${what} failed: ${message}`);
    this.opts.session.history?.record({ time: this.opts.session.elapsedNs(), process: 'nemesis', type: 'info', f: what, value: { error: message } });
  }
}
