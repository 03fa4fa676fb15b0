import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { benchmarkActionEntries, writeBenchmarkActionFiles } from './benchmark-action-json.js';
import { renderBenchIndex, type BenchPageLink, type BenchSuite } from './render-bench-index.js';
import { renderComparisonReport, renderResultsReport } from './render-report.js';
import type { HistoryLink, ReportSource } from './report-model.js';
import { readResultsFile, resultsLabel, writeResultsFile } from './results-file.js';
import type { Results } from './results-schema.js';

export const reportFileName = 'report.html';
/** Histories up to this size are embedded in the report as a download; larger ones are linked. */
export const historyEmbedLimitBytes = 512 * 1024;

/**
 * How a report at `reportFile` reaches the history of results stored in `resultsDir`:
 * embedded when small, else a relative link; nothing when the file is missing.
 */
export async function historyLinkFor(results: Results, resultsDir: string, reportFile: string): Promise<HistoryLink | undefined> {
  if (!results.history) return undefined;
  const historyPath = join(resultsDir, results.history.file);
  let size: number;
  try {
    size = (await stat(historyPath)).size;
  } catch {
    return undefined;
  }
  if (size <= historyEmbedLimitBytes) return { embedded: await readFile(historyPath, 'utf8') };
  return { href: relative(dirname(reportFile), historyPath).split(sep).join('/') };
}

/** Writes `dir/results.json` and the report beside it; returns both paths. */
export async function writeRunOutputs(dir: string, results: Results): Promise<{ resultsPath: string; reportPath: string }> {
  const resultsPath = await writeResultsFile(dir, results);
  const reportPath = join(dir, reportFileName);
  const history = await historyLinkFor(results, dir, reportPath);
  await writeFile(reportPath, renderResultsReport({ label: resultsLabel(resultsPath), results, history }));
  return { resultsPath, reportPath };
}

/** Labels that tell results directories apart: folder names, de-duplicated with a counter. */
function distinctLabels(paths: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return paths.map((p) => {
    const base = resultsLabel(p);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * Renders one results directory (its own report) or several (one comparison page, ratios
 * against the first) into `outFile`.
 */
export async function renderResultsDirs(dirs: readonly string[], outFile: string): Promise<void> {
  const loaded = await Promise.all(dirs.map((d) => readResultsFile(d)));
  const labels = distinctLabels(loaded.map((l) => l.path));
  const sources: ReportSource[] = await Promise.all(
    loaded.map(async ({ path, results }, i) => ({ label: labels[i]!, results, history: await historyLinkFor(results, dirname(path), outFile) })),
  );
  const html = sources.length === 1 ? renderResultsReport(sources[0]!) : renderComparisonReport(sources);
  await mkdir(dirname(outFile), { recursive: true });
  await writeFile(outFile, html);
}

export interface BenchOutputPaths {
  index: string;
  suites: Array<{ name: string; resultsPath: string; reportPath: string }>;
  benchmarkAction: { biggerIsBetter: string; smallerIsBetter: string };
}

/**
 * Everything `kzbench bench` leaves in its output directory: per suite `<suite>/results.json`
 * and `<suite>/report.html`, the `index.html` summarising all suites, and the
 * github-action-benchmark files under `benchmark-action/`.
 */
export async function writeBenchOutputs(
  outDir: string,
  suites: ReadonlyArray<{ name: string; results: Results }>,
  title?: string,
  /** Pages the bench wrote itself (micro-benchmarks, checker scaling), listed in the index. */
  pages: readonly BenchPageLink[] = [],
): Promise<BenchOutputPaths> {
  const written: BenchOutputPaths['suites'] = [];
  const indexSuites: BenchSuite[] = [];
  for (const suite of suites) {
    const dirName = suite.name.replace(/[^A-Za-z0-9._-]/g, '_');
    const { resultsPath, reportPath } = await writeRunOutputs(join(outDir, dirName), suite.results);
    written.push({ name: suite.name, resultsPath, reportPath });
    indexSuites.push({ name: suite.name, results: suite.results, reportHref: `${dirName}/${reportFileName}` });
  }
  const index = join(outDir, 'index.html');
  await writeFile(index, renderBenchIndex(indexSuites, title, pages));
  const benchmarkAction = await writeBenchmarkActionFiles(join(outDir, 'benchmark-action'), benchmarkActionEntries(suites));
  return { index, suites: written, benchmarkAction };
}
