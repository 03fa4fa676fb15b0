import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allImpliedAnomalies } from '../../checkers/elle/anomaly-taxonomy.js';
import { repoRoot, runCli } from '../support/cli.js';

/**
 * Every history of the Elle corpus (jepsen-io/elle `histories/`, in ../shared/corpora/elle)
 * through `kzbench check`, with the consistency models its MANIFEST.tsv names, exactly as a
 * user would run it: no reader defaults passed by hand (paper-example.edn has neither :f nor
 * :process).
 */
const corpus = join(repoRoot, '../shared/corpora/elle');
const manifest = join(corpus, 'MANIFEST.tsv');
const present = existsSync(manifest);
const skipNote = present ? '' : ` (skipped: the Elle corpus is missing at ${corpus}; it holds jepsen-io/elle histories/*.edn and MANIFEST.tsv)`;

interface Row {
  file: string;
  workload: string;
  expected: string[];
  models: string[];
}

function rows(): Row[] {
  const [header, ...lines] = readFileSync(manifest, 'utf8').trim().split('\n');
  const col = header!.split('\t');
  return lines.map((line) => {
    const f = line.split('\t');
    const get = (name: string) => f[col.indexOf(name)] ?? '';
    return { file: get('file'), workload: get('workload'), expected: get('expected').split(',').filter(Boolean), models: get('consistency_models').split(',').filter(Boolean) };
  });
}

/**
 * Our verdicts, where they differ from the manifest's `expected` column (docs/checkers-elle.md,
 * "Corpus results"): the manifest's paper-example entry was inferred from the paper's
 * wording, and Elle times out on huge-scc where our search finds the concrete cycle it was
 * looking for. Either way the reported anomaly implies the expected cycle anomalies.
 */
const verdicts: Record<string, { exit: number; anomalyTypes: string[]; not: string[] }> = {
  'paper-example.edn': { exit: 3, anomalyTypes: ['G-single-item'], not: ['consistent-view', 'repeatable-read'] },
  'si-without-g-single.edn': { exit: 3, anomalyTypes: ['G2-item'], not: ['repeatable-read'] },
  'huge-scc.edn': { exit: 3, anomalyTypes: ['G-single-item-realtime'], not: ['strong-snapshot-isolation'] },
};
/** Anomalies Elle reports only because its search ran out of time. */
const timeoutArtifacts = new Set(['cycle-search-timeout', 'strong-snapshot-isolation-cycle-exists']);

describe('kzbench check on the Elle corpus', () => {
  it.skipIf(!present)(`has a manifest row for every history file${skipNote}`, () => {
    const listed = new Set(rows().map((r) => r.file));
    for (const file of readdirSync(corpus).filter((f) => f.endsWith('.edn'))) expect(listed, file).toContain(file);
  });

  it.skipIf(!present)(`passes checker options from flags: --anomalies turns SI's allowed write skew into a violation${skipNote}`, async () => {
    const file = join(corpus, 'si-without-g-single.edn');
    const si = await runCli(['check', file, '--model', 'list-append', '--consistency-models', 'snapshot-isolation']);
    expect(si.code, si.stderr).toBe(0);
    const strict = await runCli(['check', file, '--model', 'list-append', '--consistency-models', 'snapshot-isolation', '--anomalies', 'G2-item', '--json']);
    expect(strict.code, strict.stderr).toBe(3);
    expect((JSON.parse(strict.stdout) as { anomalyTypes: string[] }).anomalyTypes).toEqual(['G2-item']);
    const bad = await runCli(['check', file, '--model', 'list-append', '--cycle-search-timeout', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cycle-search-timeout needs a positive number/);
  });

  it.skipIf(!present)(`--html writes the Elle view: the cycle drawn and explained${skipNote}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kz-check-html-'));
    try {
      const page = join(dir, 'paper.html');
      const res = await runCli(['check', join(corpus, 'paper-example.edn'), '--model', 'list-append', '--html', page]);
      expect(res.code, res.stderr).toBe(3);
      const html = readFileSync(page, 'utf8');
      expect(html).toMatch(/<title>INVALID · elle against list-append<\/title>/);
      expect(html).toContain('<svg');
      expect(html).toMatch(/G-single-item/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const row of present ? rows() : [{ file: '(corpus)', workload: 'list-append', expected: [], models: [] }]) {
    it.skipIf(!present)(`${row.file}: ${row.workload} under ${row.models.join(', ') || 'the default'}${skipNote}`, async () => {
      const args = ['check', join(corpus, row.file), '--model', row.workload, '--json'];
      if (row.models.length > 0) args.push('--consistency-models', row.models.join(','));
      const res = await runCli(args, { timeoutMs: 300_000 });
      expect([0, 3, 5], res.stderr).toContain(res.code);
      const result = JSON.parse(res.stdout) as { valid: unknown; anomalyTypes: string[]; details: { not: string[] } };
      const implied = allImpliedAnomalies(result.anomalyTypes);
      for (const t of row.expected.filter((x) => !timeoutArtifacts.has(x))) expect(implied, `${row.file}: expected ${t}`).toContain(t);
      const verdict = verdicts[row.file];
      if (verdict) {
        expect(res.code).toBe(verdict.exit);
        expect(result.anomalyTypes).toEqual(verdict.anomalyTypes);
        expect(result.details.not).toEqual(verdict.not);
      }
    });
  }
});
