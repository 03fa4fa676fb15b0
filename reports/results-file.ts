import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { UsageError } from '../common/errors.js';
import { ResultsSchema, resultsFormat, type Results } from './results-schema.js';

export const resultsFileName = 'results.json';

/** Where a results directory keeps its results.json (a path to the file itself is accepted too). */
export async function resultsPath(dirOrFile: string): Promise<string> {
  try {
    return (await stat(dirOrFile)).isDirectory() ? join(dirOrFile, resultsFileName) : dirOrFile;
  } catch {
    throw new UsageError('KZ_RESULTS_UNREADABLE', `${dirOrFile}: no such results directory or file; pass the --out directory of 'kzbench run' or 'kzbench bench'.`);
  }
}

/** Validates a parsed document; `source` names it in the error. */
export function parseResults(raw: unknown, source = 'results'): Results {
  if (typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format !== resultsFormat) {
    throw new UsageError('KZ_RESULTS_INVALID', `${source} is not a kzbench results file (expected "format": "${resultsFormat}").`);
  }
  const parsed = ResultsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError('KZ_RESULTS_INVALID', `${source} is not a valid results file:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Reads and validates `results.json` from a results directory or file path. */
export async function readResultsFile(dirOrFile: string): Promise<{ path: string; results: Results }> {
  const path = await resultsPath(dirOrFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message;
    throw new UsageError('KZ_RESULTS_UNREADABLE', `cannot read ${path}: ${reason}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UsageError('KZ_RESULTS_INVALID', `${path} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return { path, results: parseResults(raw, path) };
}

/** Validates and writes `dir/results.json` (creating `dir`); returns the file path. */
export async function writeResultsFile(dir: string, results: Results): Promise<string> {
  const checked = ResultsSchema.parse(results);
  await mkdir(dir, { recursive: true });
  const path = join(dir, resultsFileName);
  await writeFile(path, JSON.stringify(checked, null, 2) + '\n');
  return path;
}

/** A short label for a results directory: its folder name. */
export function resultsLabel(path: string): string {
  return basename(dirname(path)) || path;
}
