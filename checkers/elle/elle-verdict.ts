import type { Validity } from '../checker.js';
import { allAnomaliesImplying } from './anomaly-taxonomy.js';
import { anomaliesProhibitedBy, anomaliesToImpossibleModels, canonicalModelName, modelBoundary } from './consistency-models.js';
import { cycleExistsSpecs } from './cycle-exists.js';

/** Anomalies that make the verdict unknown rather than invalid: we could not look properly. */
export const unknownAnomalyTypes: ReadonlySet<string> = new Set(['empty-transaction-graph', 'cycle-search-timeout']);

export interface VerdictOptions {
  /** Models the history is expected to satisfy; Elle's default is strict-serializable. Empty: none. */
  consistencyModels: readonly string[];
  /** Further anomalies to forbid, expanded to everything that implies them. */
  anomalies: readonly string[];
}

export interface ElleVerdict {
  valid: Validity;
  /** Reportable anomaly types, sorted. */
  anomalyTypes: string[];
  /** Every type found, reportable or not (they all inform `not`). */
  foundTypes: string[];
  not: string[];
  alsoNot: string[];
  prohibited: ReadonlySet<string>;
}

/** Anomalies which would fail a check with these options (Elle's `prohibited-anomaly-types`). */
export function prohibitedAnomalyTypes(opts: VerdictOptions): Set<string> {
  const prohibited = new Set(allAnomaliesImplying(opts.anomalies));
  if (opts.consistencyModels.length > 0) for (const a of anomaliesProhibitedBy(opts.consistencyModels)) prohibited.add(a);
  return prohibited;
}

/** Anomalies worth reporting even when they do not fail the check. */
export function reportableAnomalyTypes(opts: VerdictOptions): Set<string> {
  const reportable = prohibitedAnomalyTypes(opts);
  for (const t of unknownAnomalyTypes) reportable.add(t);
  return reportable;
}

/**
 * A cycle-exists proof adds nothing once a specific anomaly rules out the same model; drop it
 * (Elle's `remove-redundant-cycle-exists`).
 */
function withoutRedundantCycleExists(types: string[]): string[] {
  const specific = types.filter((t) => !t.endsWith('-cycle-exists'));
  const impossible = anomaliesToImpossibleModels(specific);
  const omit = new Set(cycleExistsSpecs.filter((s) => impossible.has(canonicalModelName(s.model))).map((s) => s.type));
  return types.filter((t) => !omit.has(t));
}

/** Elle's `result-map`: valid unless a prohibited anomaly was found; unknown if we could not look. */
export function elleVerdict(found: Iterable<string>, opts: VerdictOptions): ElleVerdict {
  const foundTypes = [...new Set(found)].sort();
  const prohibited = prohibitedAnomalyTypes(opts);
  const reportableSet = reportableAnomalyTypes(opts);
  const reportable = withoutRedundantCycleExists(foundTypes.filter((t) => reportableSet.has(t)));
  if (reportable.length === 0) {
    return { valid: true, anomalyTypes: [], foundTypes, not: [], alsoNot: [], prohibited };
  }
  const bad = foundTypes.some((t) => prohibited.has(t));
  const boundary = modelBoundary(foundTypes);
  return {
    valid: bad ? false : 'unknown',
    anomalyTypes: reportable,
    foundTypes,
    not: boundary.not,
    alsoNot: boundary.alsoNot,
    prohibited,
  };
}
