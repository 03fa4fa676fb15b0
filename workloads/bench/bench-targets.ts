import { UsageError } from '../../common/errors.js';
import type { Logger } from '../../common/logger.js';
import type { ImplementationVersion } from '../../reports/results-schema.js';
import type { ClusterImpl } from '../launchers/cluster-spec.js';
import type { WorkloadSystem } from '../registry.js';
import type { ImplSelection } from './bench-options.js';
import { startRunTarget, type RunTarget } from './run-target.js';

/** One implementation of a system, running and ready. */
export interface BenchTarget {
  impl: ClusterImpl;
  run: RunTarget;
}

/** An implementation the bench wanted but could not start, and why (shown in the report). */
export interface SkippedTarget {
  impl: ClusterImpl;
  reason: string;
}

/** The implementations of one system a bench compares: Apache first (the baseline of every ratio). */
export class BenchTargetSet {
  constructor(
    readonly system: WorkloadSystem,
    readonly available: readonly BenchTarget[],
    readonly skipped: readonly SkippedTarget[],
  ) {}

  get(impl: ClusterImpl): BenchTarget | undefined {
    return this.available.find((t) => t.impl === impl);
  }

  /** For results' environment: what ran, with versions. */
  implementations(): ImplementationVersion[] {
    return this.available.map((t) => ({ name: t.impl, version: t.run.target.version, system: this.system }));
  }

  /** Notes for the report: what could not be compared and why. */
  notes(): string[] {
    return this.skipped.map((s) => `${s.impl} ${this.system} was not measured: ${s.reason}`);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.available.map((t) => t.run.stop()));
  }
}

export interface StartBenchTargetsOptions {
  system: WorkloadSystem;
  impls: ImplSelection;
  /** ZooKeeper: run the AdminServer too (the admin suite). */
  adminServer?: boolean;
  log: Logger;
}

/**
 * Starts every selected implementation of a system side by side (their start-ups overlap).
 * Apache is provisioned by the launcher (Maven Central via mvn, cached); when Java or Maven
 * is missing or the fetch fails, Apache is skipped with the reason and the bench goes on with
 * the reference server. A reference server that fails to start is an error: it needs nothing
 * but this checkout.
 */
export async function startBenchTargets(opts: StartBenchTargetsOptions): Promise<BenchTargetSet> {
  const wanted: Array<{ impl: ClusterImpl; version?: string }> = [];
  if (opts.impls.apache) wanted.push({ impl: 'apache', version: opts.impls.apacheVersions[opts.system] });
  if (opts.impls.reference) wanted.push({ impl: 'reference' });
  const started = await Promise.allSettled(
    wanted.map((w) =>
      startRunTarget(w, { system: opts.system, nodes: 1, adminServer: opts.adminServer, log: opts.log.child(`${opts.system}-${w.impl}`), readyTimeoutMs: 240_000 }),
    ),
  );
  const available: BenchTarget[] = [];
  const skipped: SkippedTarget[] = [];
  let referenceFailure: unknown = null;
  started.forEach((s, i) => {
    const impl = wanted[i]!.impl;
    if (s.status === 'fulfilled') available.push({ impl, run: s.value });
    else if (impl === 'reference') referenceFailure = s.reason;
    else {
      const reason = describe(s.reason);
      opts.log.warn(`Apache ${opts.system} is not available (it is left out of the comparison): ${reason}`);
      skipped.push({ impl, reason });
    }
  });
  const set = new BenchTargetSet(opts.system, available, skipped);
  if (referenceFailure !== null) {
    await set.stop();
    throw referenceFailure;
  }
  if (available.length === 0) {
    // Only Apache was asked for, and it cannot run here: nothing to measure is an error, not an empty report.
    throw new UsageError('KZ_BENCH_NO_TARGET', `no ${opts.system} implementation could be started: ${skipped.map((s) => `${s.impl}: ${s.reason}`).join('; ')}; add --impl reference to measure the reference server alone`);
  }
  return set;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${err.message} [${code}]` : err.message;
  }
  return String(err);
}
