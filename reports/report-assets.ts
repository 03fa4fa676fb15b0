import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UsageError } from '../common/errors.js';

export interface ReportAssets {
  uplotScript: string;
  uplotCss: string;
}

let cached: ReportAssets | undefined;

/**
 * uPlot's minified browser build and stylesheet, read from the installed package at render
 * time and inlined, so a report is one file that works offline and never drifts from the
 * version in package-lock.json.
 */
export function reportAssets(): ReportAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  let dist: string;
  try {
    dist = join(dirname(require.resolve('uplot/package.json')), 'dist');
  } catch (err) {
    throw new UsageError('KZ_REPORT_ASSETS', "the 'uplot' package is missing; run 'npm ci' in the kzbench checkout.", { cause: err });
  }
  cached = {
    uplotScript: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
  return cached;
}
