import { UsageError } from '../../common/errors.js';
import { allAnomaliesImplying, allImpliedAnomalies } from './anomaly-taxonomy.js';
import { NameDag } from './name-dag.js';

/**
 * Consistency models as Elle relates them (jepsen-io/elle `consistency-model`): which model
 * implies which, and which anomalies each model forbids directly. Sources are the ones Elle
 * cites: Adya's PL levels, Bailis et al. (HATs), Cerone et al., Daudjee & Salem.
 */

/** Friendly names used in the literature, mapped to Adya's canonical names. */
const canonicalNames: Record<string, string> = {
  'consistent-view': 'PL-2+',
  'conflict-serializable': 'PL-3',
  'cursor-stability': 'PL-CS',
  'forward-consistent-view': 'PL-FCV',
  'monotonic-snapshot-read': 'PL-MSR',
  'monotonic-view': 'PL-2L',
  'read-committed': 'PL-2',
  'read-uncommitted': 'PL-1',
  'repeatable-read': 'PL-2.99',
  serializable: 'PL-3',
  'snapshot-isolation': 'PL-SI',
  'strict-serializable': 'PL-SS',
  'strong-serializable': 'PL-SS',
  'update-serializable': 'PL-3U',
  'strong-session-read-uncommitted': 'strong-session-PL-1',
  'strong-session-read-committed': 'strong-session-PL-2',
  'strong-read-uncommitted': 'strong-PL-1',
  'strong-read-committed': 'strong-PL-2',
};

/** Canonical back to friendly; where several friendly names share one, the usual one wins. */
const friendlyNames: Record<string, string> = {
  ...Object.fromEntries(Object.entries(canonicalNames).map(([friendly, canonical]) => [canonical, friendly])),
  'PL-3': 'serializable',
  'PL-SS': 'strict-serializable',
};

export function canonicalModelName(model: string): string {
  return canonicalNames[model] ?? model;
}

export function friendlyModelName(model: string): string {
  return friendlyNames[model] ?? model;
}

/** a -> b: a history satisfying a also satisfies b (see jepsen.io/consistency). */
const modelImplications = NameDag.from(
  {
    'causal-cerone': ['read-atomic'],
    'consistent-view': ['cursor-stability', 'monotonic-view'],
    'conflict-serializable': ['view-serializable'],
    'cursor-stability': ['read-committed', 'PL-2'],
    'forward-consistent-view': ['consistent-view'],
    'PL-2': ['PL-1'],
    'PL-3': ['repeatable-read', 'update-serializable'],
    'update-serializable': ['forward-consistent-view'],
    'monotonic-atomic-view': ['read-committed'],
    'monotonic-view': ['PL-2'],
    'monotonic-snapshot-read': ['PL-2'],
    'parallel-snapshot-isolation': ['causal-cerone', 'update-atomic'],
    prefix: ['causal-cerone'],
    'read-atomic': ['monotonic-atomic-view'],
    'read-committed': ['read-uncommitted'],
    'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
    'update-atomic': ['read-atomic'],
    serializable: ['repeatable-read', 'snapshot-isolation', 'view-serializable'],
    'session-serializable': ['1SR'],
    'snapshot-isolation': [
      'forward-consistent-view',
      'monotonic-atomic-view',
      'monotonic-snapshot-read',
      'parallel-snapshot-isolation',
      'prefix',
    ],
    'strict-serializable': [
      'PL-3',
      'serializable',
      'linearizable',
      'snapshot-isolation',
      'strong-snapshot-isolation',
      'strong-session-serializable',
    ],
    // Not in the literature, but natural generalisations Elle uses to rule out searches.
    'strong-session-PL-1': ['PL-1'],
    'strong-session-PL-2': ['PL-2', 'strong-session-PL-1'],
    'strong-PL-1': ['strong-session-PL-1'],
    'strong-PL-2': ['strong-session-PL-2', 'strong-PL-1'],
    'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
    'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-PL-2'],
    'strong-serializable': ['session-serializable'],
    'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-PL-2'],
    linearizable: ['sequential'],
    sequential: ['causal'],
    causal: ['writes-follow-reads', 'PRAM'],
    PRAM: ['monotonic-reads', 'monotonic-writes', 'read-your-writes'],
  },
  canonicalModelName,
);

/**
 * What each (canonical) model forbids on top of the models it implies. A `*-cycle-exists`
 * anomaly is the fallback proof that some forbidden cycle exists in a model's subgraph.
 */
const directlyProscribed = NameDag.from(
  {
    'causal-cerone': ['internal', 'G1a'],
    'cursor-stability': ['G1', 'G-cursor', 'lost-update'],
    'monotonic-view': ['G1', 'G-monotonic'],
    'monotonic-snapshot-read': ['G1', 'G-MSR'],
    'consistent-view': ['G1', 'G-single'],
    'forward-consistent-view': ['G1', 'G-SIb'],
    'parallel-snapshot-isolation': ['internal', 'G1a'],
    'PL-3': ['G1', 'G2', 'predicate-read-miss', 'PL-3-cycle-exists'],
    'PL-2': ['G1', 'PL-2-cycle-exists'],
    'PL-1': ['G0', 'duplicate-elements', 'cyclic-versions', 'PL-1-cycle-exists'],
    prefix: ['internal', 'G1a'],
    serializable: ['internal'],
    'snapshot-isolation': ['internal', 'G1', 'G-SI', 'G-nonadjacent', 'PL-SI-cycle-exists'],
    'read-atomic': ['internal', 'G1a', 'future-read'],
    'repeatable-read': ['G1', 'G2-item', 'PL-2.99-cycle-exists', 'lost-update'],
    'update-atomic': ['lost-update'],
    'strict-serializable': ['G1', 'G1c-realtime', 'G2-realtime', 'PL-SS-cycle-exists'],
    'strong-session-PL-1': ['strong-session-PL-1-cycle-exists', 'G0-process'],
    'strong-session-PL-2': ['strong-session-PL-2-cycle-exists', 'G1c-process'],
    'strong-PL-1': ['strong-PL-1-cycle-exists', 'G0-realtime'],
    'strong-PL-2': ['strong-PL-2-cycle-exists', 'G1c-realtime'],
    'strong-session-snapshot-isolation': [
      'internal',
      'G1-process',
      'G-nonadjacent-process',
      'strong-session-snapshot-isolation-cycle-exists',
    ],
    'strong-snapshot-isolation': [
      'internal',
      'G1-realtime',
      'G-nonadjacent-realtime',
      'strong-snapshot-isolation-cycle-exists',
    ],
    'strong-session-serializable': ['G1-process', 'G2-process', 'strong-session-serializable-cycle-exists'],
    'update-serializable': ['G1', 'G-update'],
  },
  // Only the model side is renamed; anomaly names stay as they are.
  (name) => (name in canonicalNames ? canonicalNames[name]! : name),
);

const allModels = new Set<string>([
  ...modelImplications.vertices(),
  ...Object.keys(canonicalNames),
  ...Object.values(canonicalNames),
]);

/** Every model name `kzbench check --consistency-models` accepts, friendly names first. */
export function knownModels(): string[] {
  return [...allModels].sort();
}

export function validateModels(models: readonly string[]): void {
  const unknown = models.filter((m) => !allModels.has(m));
  if (unknown.length > 0) {
    throw new UsageError(
      'KZ_ELLE_UNKNOWN_MODEL',
      `Unknown consistency model ${unknown.map((m) => JSON.stringify(m)).join(', ')}; known models are: ${knownModels().join(', ')}`,
    );
  }
}

/** Models implied by any of `models` (canonical names), themselves included. */
export function allImpliedModels(models: readonly string[]): Set<string> {
  validateModels(models);
  return modelImplications.downstream(models.map(canonicalModelName));
}

/** Models which imply any of the impossible `models` are impossible too. */
export function allImpossibleModels(models: Iterable<string>): Set<string> {
  const list = [...models];
  validateModels(list);
  return modelImplications.upstream(list.map(canonicalModelName));
}

/** Anomalies which cannot be present if all `models` hold (directly forbidden, or implying one that is). */
export function anomaliesProhibitedBy(models: readonly string[]): Set<string> {
  const direct: string[] = [];
  for (const model of allImpliedModels(models)) direct.push(...directlyProscribed.out(model));
  return allAnomaliesImplying(direct);
}

/** Models which cannot hold given `anomalies` were observed (canonical names). */
export function anomaliesToImpossibleModels(anomalies: Iterable<string>): Set<string> {
  const models: string[] = [];
  for (const anomaly of allImpliedAnomalies(anomalies)) models.push(...directlyProscribed.in(anomaly));
  return models.length === 0 ? new Set() : allImpossibleModels(models);
}

/** Keeps only models not implied by another model of the set: the weakest ones. */
function weakestModels(models: Set<string>): Set<string> {
  const result = new Set(models);
  for (const model of models) {
    const others = new Set(result);
    others.delete(model);
    const below = modelImplications.downstream(modelImplications.out(model));
    if ([...below].some((m) => others.has(m))) result.delete(model);
  }
  return result;
}

export interface ModelBoundary {
  /** The weakest models the anomalies rule out (friendly names). */
  not: string[];
  /** Every other, stronger, model ruled out. */
  alsoNot: string[];
}

/** Which models the observed anomalies rule out, as Elle's `friendly-boundary`. */
export function modelBoundary(anomalies: Iterable<string>): ModelBoundary {
  const impossible = anomaliesToImpossibleModels(anomalies);
  const weakest = weakestModels(impossible);
  const friendly = (ms: Iterable<string>) => [...new Set([...ms].map(friendlyModelName))].sort();
  return {
    not: friendly(weakest),
    alsoNot: friendly([...impossible].filter((m) => !weakest.has(m))),
  };
}
