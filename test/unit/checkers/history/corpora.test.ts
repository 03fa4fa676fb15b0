import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pairOps, readHistoryFile } from '../../../../checkers/history/index.js';
import { repoRoot } from '../../../support/cli.js';

const corpora = join(repoRoot, '../shared/corpora');
const knossos = join(corpora, 'knossos');
const elle = join(corpora, 'elle');

describe.skipIf(!existsSync(join(knossos, 'MANIFEST.tsv')))('Knossos corpus (../shared/corpora/knossos) parses', () => {
  const rows = readFileSync(join(knossos, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  it.each(rows.map((r) => [r[0]!, Number(r[3]), Number(r[4])] as const))('%s: %i invocations', async (file, invokes, processes) => {
    const ops = await readHistoryFile(join(knossos, file));
    expect(ops.filter((o) => o.type === 'invoke')).toHaveLength(invokes);
    expect(new Set(ops.map((o) => o.process)).size).toBe(processes);
    pairOps(ops);
  });
});

describe.skipIf(!existsSync(join(elle, 'huge-scc.edn')))('Elle corpus (../shared/corpora/elle) parses', () => {
  it('reads huge-scc.edn as a stream of maps with its op counts', async () => {
    const ops = await readHistoryFile(join(elle, 'huge-scc.edn'));
    const count = (t: string) => ops.filter((o) => o.type === t && o.process !== 'nemesis').length;
    expect([count('invoke'), count('ok'), count('fail'), count('info')]).toEqual([10254, 3036, 7070, 148]);
    const paired = pairOps(ops);
    expect(paired.failed).toHaveLength(7070);
    expect(paired.pairs.filter((p) => p.outcome === 'ok')).toHaveLength(3036);
  });

  it('reads paper-example.edn, which has no :process or :f, given defaults', async () => {
    const ops = await readHistoryFile(join(elle, 'paper-example.edn'), { defaults: { process: 0, f: 'txn' } });
    expect(pairOps(ops).pairs).toHaveLength(4);
  });
});

if (!existsSync(join(knossos, 'MANIFEST.tsv')) || !existsSync(join(elle, 'huge-scc.edn'))) {
  console.warn(`history corpus tests skipped: ${corpora} is absent (it holds the Knossos and Elle histories)`);
}
