import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHistoryJsonl } from '../../checkers/history/index.js';
import { casRegisterHistory } from '../../checkers/linearizability/synthetic-histories.js';
import { chromiumMissingReason, chromiumPath } from '../unit/reports/report-browser.js';
import { runCli } from '../support/cli.js';

const missing = chromiumMissingReason();
if (missing) console.warn(`linearizability view test skipped: ${missing}`);

describe.skipIf(missing !== null)('kzbench check --html: the linearizability view in headless Chromium', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kz-check-view-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('draws the failure timeline, and hovering the failing op shows why and the states around it', async () => {
    const history = join(dir, 'bad.jsonl');
    await writeFile(history, formatHistoryJsonl(casRegisterHistory({ seed: 2, ops: 80, clients: 5, infoOps: 8, corrupt: true })));
    const html = join(dir, 'view.html');
    const res = await runCli(['check', history, '--model', 'cas-register', '--init', '0', '--html', html]);
    expect(res.code).toBe(3);

    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) errors.push(`unexpected request: ${r.url()}`);
      });
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });

      expect(await page.locator('.kz-lin .op.fail').count()).toBe(1);
      expect(await page.locator('.kz-lin .op.lin').count()).toBeGreaterThan(5);
      expect(await page.locator('.kz-lin-reason').first().textContent()).toMatch(/^can't read 5 from register \d$/);
      expect(await page.locator('.kz-lin-steps li').count()).toBeGreaterThan(0);

      await page.locator('.kz-lin .op.fail').hover();
      const tip = page.locator('.kz-lin-tip');
      await expect.poll(() => tip.isVisible()).toBe(true);
      expect(await tip.textContent()).toMatch(/read 5[\s\S]*cannot be linearized: can't read 5 from register/);

      await page.locator('.kz-lin .op.lin').last().hover();
      expect(await tip.textContent()).toMatch(/step \d+ of the longest partial linearization\nstate before: \S+\nstate after: \S+/);

      const png = join(dir, 'view.png');
      await page.screenshot({ path: png, fullPage: true });
      expect((await stat(png)).size).toBeGreaterThan(10_000);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('renderLinearizabilityView', () => {
  it('draws nothing for a valid check and escapes values it draws', async () => {
    const { parseHistory } = await import('../../checkers/history/index.js');
    const { linearizabilityChecker } = await import('../../checkers/linearizability/linearizability-checker.js');
    const { renderLinearizabilityView } = await import('../../reports/views/linearizability.js');
    const ok = await linearizabilityChecker.check(parseHistory('{"process":0,"type":"invoke","f":"put","key":"k","value":"a"}\n{"process":0,"type":"ok","f":"put","key":"k","value":"a"}'), 'kv', { workers: 1 });
    expect(renderLinearizabilityView(ok)).toBeNull();
    const evil = '</script><img src=x onerror=alert(1)>';
    const bad = await linearizabilityChecker.check(
      parseHistory(`{"process":0,"type":"invoke","f":"put","key":"k","value":"a"}\n{"process":0,"type":"ok","f":"put","key":"k","value":"a"}\n{"process":1,"type":"invoke","f":"get","key":"k","value":null}\n{"process":1,"type":"ok","f":"get","key":"k","value":${JSON.stringify(evil)}}`),
      'kv',
      { workers: 1 },
    );
    const html = renderLinearizabilityView(bad)!;
    expect(html).toContain('class="kz-lin"');
    expect(html).not.toContain('<img');
    expect(html.match(/<\/script>/g)).toHaveLength(2); // only the two the view opens itself
  });
});
