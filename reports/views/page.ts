import type { ChartSpec } from '../chart-specs.js';
import { escapeHtml, jsonForScript, scriptSafe } from '../html.js';
import { reportAssets } from '../report-assets.js';
import { reportClientScript } from '../report-client-script.js';
import { reportStyle } from '../report-style.js';

/**
 * A complete, self-contained HTML document: styles, uPlot, the chart data (a JSON script
 * block) and the drawing script are all inline; nothing is fetched.
 */
export function renderPage(title: string, body: string, specs: readonly ChartSpec[]): string {
  const { uplotCss, uplotScript } = reportAssets();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kzbench">
<title>${escapeHtml(title)}</title>
<style>${uplotCss}</style>
<style>${reportStyle}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="kz-charts">${jsonForScript(specs)}</script>
<script>${scriptSafe(uplotScript)}</script>
<script>${scriptSafe(reportClientScript())}</script>
</body>
</html>
`;
}
