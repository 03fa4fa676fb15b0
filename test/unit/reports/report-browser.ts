import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Chromium for report screenshots: Debian's package, or KZBENCH_CHROMIUM. */
export const chromiumPath = process.env.KZBENCH_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumMissingReason(): string | null {
  return existsSync(chromiumPath) ? null : `chromium not found at ${chromiumPath}: install the Debian package 'chromium' (or set KZBENCH_CHROMIUM) to run the report screenshot tests`;
}

export interface ChartInk {
  id: string;
  hasCanvas: boolean;
  /** Non-transparent pixels: axes, grid and series. */
  inkPixels: number;
  /** Pixels in the first two series colours: proof that data lines were drawn, not just axes. */
  seriesPixels: number;
}

export interface ReportInspection {
  errors: string[];
  charts: ChartInk[];
  title: string;
}

/**
 * Runs in the page (a string: this project compiles without DOM types). Counts, per chart
 * canvas, the painted pixels and those in the first two series colours (#0072B2, #D55E00).
 */
const measureChartsInPage = `(() => {
  const palette = [[0, 114, 178], [213, 94, 0]];
  return Array.from(document.querySelectorAll('.chart')).map((el) => {
    const canvas = el.querySelector('canvas');
    if (!canvas) return { id: el.id, hasCanvas: false, inkPixels: 0, seriesPixels: 0 };
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0, series = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      ink++;
      if (data[i + 3] > 200 && palette.some(([r, g, b]) => Math.abs(data[i] - r) < 16 && Math.abs(data[i + 1] - g) < 16 && Math.abs(data[i + 2] - b) < 16)) series++;
    }
    return { id: el.id, hasCanvas: true, inkPixels: ink, seriesPixels: series };
  });
})()`;

/**
 * Opens a report in headless Chromium (a fresh temporary profile, no network features),
 * collects console errors, measures what each chart canvas drew, and saves a full-page PNG.
 */
export async function inspectReport(htmlFile: string, pngFile: string): Promise<ReportInspection> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) errors.push(`unexpected request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
    // Every chart ends with a canvas or a message in its place (no data, or a failure).
    await page.waitForFunction("Array.from(document.querySelectorAll('.chart')).every((el) => el.querySelector('canvas, .empty'))", undefined, { timeout: 10_000 }).catch(() => errors.push('charts did not finish drawing within 10 s'));
    const charts = (await page.evaluate(measureChartsInPage)) as ChartInk[];
    await mkdir(dirname(pngFile), { recursive: true });
    await page.screenshot({ path: pngFile, fullPage: true });
    return { errors, charts, title: await page.title() };
  } finally {
    await browser.close();
  }
}
