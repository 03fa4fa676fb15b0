import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

interface Figure {
  group: string;
  task: string;
  opsPerSecond: number;
  samples: number;
  note?: string;
}

/** `kzbench bench --suite micro --quick`: tinybench over the in-process hot paths, no servers. */
describe('kzbench bench --suite micro --quick', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kz-e2e-bench-micro-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('measures every group of hot paths and writes the page, its figures, the index and the action JSON', { timeout: 240_000 }, async () => {
    const res = await runCli(['bench', '--suite', 'micro', '--quick', '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    const figures = JSON.parse(await readFile(join(out, 'micro', 'figures.json'), 'utf8')) as { format: string; suite: string; environment: { loadAverage: number[] }; figures: Figure[] };
    expect(figures).toMatchObject({ format: 'kzbench.bench-figures', suite: 'micro' });
    expect(figures.environment.loadAverage).toHaveLength(3);
    const groups = new Set(figures.figures.map((f) => f.group));
    expect([...groups].sort()).toEqual(['kafka codec', 'kafka record batch', 'reference kafka log', 'reference zookeeper data tree', 'zookeeper codec']);
    for (const f of figures.figures.filter((x) => !x.note)) {
      expect(f.opsPerSecond, f.task).toBeGreaterThan(0);
      expect(f.samples, f.task).toBeGreaterThan(0);
    }
    // Tasks that could not run say why; none of the built-in ones may error.
    expect(figures.figures.filter((f) => f.note?.startsWith('did not complete'))).toEqual([]);

    const page = await readFile(join(out, 'micro', 'report.html'), 'utf8');
    expect(page).toContain('encode getData request');
    expect(page).toContain('append batch');
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="micro/report.html"');
    const bigger = JSON.parse(await readFile(join(out, 'benchmark-action', 'bigger-is-better.json'), 'utf8')) as Array<{ name: string; unit: string; value: number }>;
    expect(bigger.length).toBe(figures.figures.filter((f) => !f.note).length);
    expect(bigger.every((e) => e.name.startsWith('micro: ') && e.unit === 'ops/s' && e.value > 0)).toBe(true);
    expect(existsSync(join(out, 'benchmark-action', 'smaller-is-better.json'))).toBe(true);
  });
});
