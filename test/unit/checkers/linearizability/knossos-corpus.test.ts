import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHistoryFile } from '../../../../checkers/history/index.js';
import { linearizabilityChecker } from '../../../../checkers/linearizability/linearizability-checker.js';
import { repoRoot } from '../../../support/cli.js';
import { details } from './check-history.js';

const knossos = join(repoRoot, '../shared/corpora/knossos');
const present = existsSync(join(knossos, 'MANIFEST.tsv'));
if (!present) console.warn(`Knossos corpus tests skipped: ${knossos} is absent (../shared/corpora/knossos holds Knossos' data/ histories)`);

/** The initial states Knossos' own tests use (core_test/test-examples, wgl_test). */
const inits: Record<string, unknown[]> = { 'cas-register': [0, null], 'multi-register': [{ x: 0, y: 0 }], mutex: [undefined] };

describe.skipIf(!present)('Knossos corpus: every history gets its known verdict', () => {
  const rows = present ? readFileSync(join(knossos, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')) : [];
  const cases = rows.flatMap(([file, model, expected]) => inits[model!]!.map((init) => [file!, model!, expected!, init] as const));
  it.each(cases)('%s (%s, %s, init %j)', async (file, model, expected, init) => {
    const history = await readHistoryFile(join(knossos, file));
    const r = await linearizabilityChecker.check(history, model, { init, workers: 1 });
    expect(r.valid).toBe(expected === 'valid');
  });
});

describe.skipIf(!present)('Knossos failure analysis facts (wgl_test)', () => {
  const analyse = async (file: string, init: unknown) => {
    const r = await linearizabilityChecker.check(await readHistoryFile(join(knossos, file)), 'cas-register', { init, workers: 1 });
    expect(r.valid).toBe(false);
    return details(r).failures[0]!;
  };

  it('cas-failure.edn: op 491, previous-ok 478, exactly the two final paths of Knossos', async () => {
    for (const init of [0, null]) {
      const f = await analyse('cas-register/bad/cas-failure.edn', init);
      expect(f.op).toMatchObject({ process: 70, type: 'ok', f: 'read', value: 0, index: 491 });
      expect(f.previousOk).toMatchObject({ process: 74, type: 'ok', f: 'read', value: 0, index: 478 });
      expect(f.finalPathCount).toBe(2);
      const paths = f.finalPaths.map((p) => p.map((s) => [s.op.process, s.op.type, s.op.f, s.op.value, s.op.index, s.state]));
      expect(paths).toEqual(
        expect.arrayContaining([
          [
            [76, 'ok', 'write', 2, 472, '2'],
            [77, 'info', 'cas', [1, 1], 482, "can't CAS 2 from 1 to 1"],
          ],
          [
            [76, 'ok', 'write', 2, 472, '2'],
            [70, 'ok', 'read', 0, 491, "can't read 0 from register 2"],
          ],
        ]),
      );
      expect(f.reason).toBe("can't read 0 from register 2");
    }
  });

  it('bad-analysis.edn: the read of 2 at 14 fails after the read of 0 at 11', async () => {
    const f = await analyse('cas-register/bad/bad-analysis.edn', 0);
    expect(f.op).toMatchObject({ process: 21, f: 'read', value: 2, index: 14 });
    expect(f.previousOk).toMatchObject({ process: 19, f: 'read', value: 0, index: 11 });
  });

  it('immediate-failure.edn: one final path, no previous ok', async () => {
    const f = await analyse('cas-register/bad/immediate-failure.edn', 0);
    expect(f.op).toMatchObject({ process: 1, f: 'read', value: 3, index: 3 });
    expect(f.previousOk).toBeNull();
    expect(f.finalPaths).toEqual([[{ op: expect.objectContaining({ index: 3 }), state: "can't read 3 from register 0", inconsistent: true }]]);
  });

  it('rethink-fail-minimal.edn and rethink-fail-smaller.edn: the read of 3 out of nowhere', async () => {
    expect((await analyse('cas-register/bad/rethink-fail-minimal.edn', null)).op).toMatchObject({ process: 1, value: 3, index: 4 });
    expect((await analyse('cas-register/bad/rethink-fail-smaller.edn', null)).op).toMatchObject({ process: 12, value: 3, index: 217 });
  });
});
