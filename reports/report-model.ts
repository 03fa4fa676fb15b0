import type { CheckResult } from '../checkers/checker.js';
import { colorFor, type PlottedRun } from './chart-specs.js';
import { compareResultsFiles, type LabelledResults } from './comparisons.js';
import type { Comparison, NemesisInterval, Results } from './results-schema.js';

/** Where a report can point readers for a source's history. */
export interface HistoryLink {
  /** Relative link to history.jsonl beside the report. */
  href?: string;
  /** The history itself, embedded as a download when it is small. */
  embedded?: string;
}

/** One results file shown in a report. */
export interface ReportSource {
  label: string;
  results: Results;
  history?: HistoryLink;
  /** Link to this source's own full report (multi-results pages). */
  reportHref?: string;
}

/** A run with its label and colour, and the source it came from. */
export interface ReportRun extends PlottedRun {
  source: string;
}

/** Everything a report page shows, independent of how it is laid out. */
export interface ReportModel {
  title: string;
  sources: ReportSource[];
  runs: ReportRun[];
  comparisons: Comparison[];
  /** True when comparisons span separate results files (not measured together). */
  comparisonsAcrossFiles: boolean;
  checks: Array<{ source: string; check: CheckResult }>;
  notes: string[];
  /** Fault bands, when the report shows a single run's time line. */
  nemesis: NemesisInterval[];
  /** Whether the comparison table names runs by id; the model maps ids to display labels. */
  labelOf: (runId: string) => string;
}

/** Labels name only what varies: the implementation, the client, or both (and the source when there are several). */
function runLabels(sources: readonly ReportSource[]): Map<string, string> {
  const all = sources.flatMap((s) => s.results.runs.map((r) => ({ source: s.label, run: r })));
  const varies = (pick: (r: (typeof all)[number]) => string) => new Set(all.map(pick)).size > 1;
  const bySource = sources.length > 1;
  const byImpl = varies((r) => r.run.implementation);
  const byClient = varies((r) => r.run.client);
  const labels = new Map<string, string>();
  for (const { source, run } of all) {
    const parts: string[] = [];
    if (bySource) parts.push(source);
    if (byImpl || (!bySource && !byClient)) parts.push(run.implementation);
    if (byClient) parts.push(run.client);
    labels.set(runKey(source, run.id, bySource), parts.join(' · '));
  }
  return labels;
}

function runKey(source: string, runId: string, bySource: boolean): string {
  return bySource ? `${source}: ${runId}` : runId;
}

function buildModel(title: string, sources: ReportSource[], comparisons: Comparison[], acrossFiles: boolean): ReportModel {
  const bySource = sources.length > 1;
  const labels = runLabels(sources);
  // One colour per series identity (source × implementation × client), shared by every op.
  const colours = new Map<string, string>();
  const runs: ReportRun[] = [];
  for (const s of sources) {
    for (const run of s.results.runs) {
      const label = labels.get(runKey(s.label, run.id, bySource))!;
      if (!colours.has(label)) colours.set(label, colorFor(colours.size));
      runs.push({ source: s.label, label, color: colours.get(label)!, run });
    }
  }
  const idLabels = new Map<string, string>();
  for (const r of runs) idLabels.set(runKey(r.source, r.run.id, bySource), r.label);
  return {
    title,
    sources,
    runs,
    comparisons,
    comparisonsAcrossFiles: acrossFiles,
    checks: sources.flatMap((s) => s.results.checks.map((check) => ({ source: s.label, check }))),
    notes: sources.flatMap((s) => s.results.notes.map((n) => (bySource ? `${s.label}: ${n}` : n))),
    nemesis: bySource ? [] : (sources[0]?.results.nemesis ?? []),
    labelOf: (id) => idLabels.get(id) ?? id,
  };
}

/** The model of a single run's report. */
export function singleResultsModel(source: ReportSource): ReportModel {
  return buildModel(source.results.title, [source], source.results.comparisons, false);
}

/**
 * The model of a page comparing several results files: runs overlaid, ratios of every later
 * file against the first. Measured in different runs, so the page says so.
 */
export function multiResultsModel(sources: ReportSource[], title?: string): ReportModel {
  const labelled: LabelledResults[] = sources.map((s) => ({ label: s.label, results: s.results }));
  return buildModel(title ?? `Comparison: ${sources.map((s) => s.label).join(' vs ')}`, sources, compareResultsFiles(labelled), true);
}
