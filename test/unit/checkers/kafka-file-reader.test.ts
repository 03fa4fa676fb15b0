import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckOptions, CheckResult } from '../../../checkers/checker.js';
import { readHistoryFile } from '../../../checkers/history/read-history.js';
import type { Op } from '../../../checkers/history/op.js';
import { seededRandom } from '../../../checkers/linearizability/synthetic-histories.js';
import { kafkaQueueHistory } from '../../../checkers/kafka/kafka-history-generator.js';
import { checkKafkaQueue, checkKafkaQueueFile, KafkaQueueDetails } from '../../../checkers/kafka/kafka-queue-checker.js';
import { exactlyOnceChecker, checkExactlyOnce } from '../../../checkers/kafka/exactly-once-checker.js';

/**
 * The Kafka checker reads a history two ways: Op objects (the library API) and a JSONL file
 * streamed from its bytes (kzbench check). Both must give the same result, anomalies and
 * explanations included, for every history, and the same error for every malformed one.
 */

const dir = mkdtempSync(join(tmpdir(), 'kz-kafka-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function writeLines(lines: string[]): string {
  const path = join(dir, `h${files++}.jsonl`);
  writeFileSync(path, lines.join('\n'));
  return path;
}

const comparable = (r: CheckResult) => ({ ...r, stats: { ...r.stats, elapsedMs: 0 } });

type Outcome = { result: ReturnType<typeof comparable> } | { error: { code: unknown; message: string } };

function outcome(run: () => CheckResult | Promise<CheckResult>): Promise<Outcome> {
  return Promise.resolve()
    .then(run)
    .then(
      (r) => ({ result: comparable(r) }),
      (err: Error & { code?: unknown }) => ({ error: { code: err.code, message: err.message } }),
    );
}

/** The Op path as `kzbench check` took it before streaming: read the whole file, then check. */
const viaOps = (path: string, opts: CheckOptions = {}) => outcome(async () => checkKafkaQueue(await readHistoryFile(path, { format: 'jsonl' }), opts));
const viaFile = (path: string, opts: CheckOptions = {}) => outcome(() => checkKafkaQueueFile(path, opts));

describe('kafka queue: the streamed file and the Op objects give the same result', () => {
  it('on seeded histories with lost, duplicated, misplaced and aborted-but-visible writes, under every option set', async () => {
    const found = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const history = kafkaQueueHistory({
        seed,
        ops: 200 + (seed % 4) * 150,
        concurrency: 1 + (seed % 6),
        txnRate: [0.1, 0.5, 0.9][seed % 3],
        failRate: 0.03,
        infoRate: 0.02,
        loseWrites: seed % 4 === 0 ? 0.02 : 0,
        duplicateWrites: seed % 4 === 1 ? 0.02 : 0,
        misreportOffsets: seed % 4 === 2 ? 0.02 : 0,
        leakAborts: seed % 4 === 3 ? 0.5 : 0,
      });
      const path = writeLines(history.map((op) => JSON.stringify(op)));
      for (const opts of [{}, { wwDeps: true }, { rwDeps: true, consistencyModels: ['strict-serializable'] }, { subVia: ['subscribe'] }] as CheckOptions[]) {
        const fromOps = await outcome(() => checkKafkaQueue(history, opts));
        expect(await viaFile(path, opts), `seed ${seed} ${JSON.stringify(opts)}`).toEqual(fromOps);
        if ('result' in fromOps) for (const t of (fromOps.result.details as KafkaQueueDetails).errorTypes) found.add(t);
      }
    }
    // The faults were there to be found: this compared anomalies, not just clean verdicts.
    for (const t of ['lost-write', 'unseen', 'duplicate', 'inconsistent-offsets', 'G1a', 'G-single-item']) expect(found, t).toContain(t);
  });

  it('on unusual shapes: text and composite values, unordered and textual poll keys, escapes, nil and missing values, sparse indices, open ops, rebalance logs', async () => {
    const ops: Record<string, unknown>[] = [
      { index: 10, process: 'c1', type: 'invoke', f: 'assign', value: ['x', 1, 3] },
      { index: 11, process: 'c1', type: 'ok', f: 'assign', value: null },
      { index: 12, process: 0, type: 'invoke', f: 'send', value: [['send', 'x', 'a'], ['send', 1, 5], ['send', 3, 'é\n"q"']] },
      { index: 13, process: 0, type: 'ok', f: 'send', value: [['send', 'x', [0, 'a']], ['send', 1, [0, 5]], ['send', 3, [7, 'é\n"q"']]] },
      { index: 14, process: 0, type: 'invoke', f: 'send', value: [['send', 1, { nested: [1, 2] }]] },
      { index: 15, process: 0, type: 'ok', f: 'send', value: [['send', 1, [1, { nested: [1, 2] }]]] },
      { index: 16, process: 2, type: 'invoke', f: 'send', value: [['send', 1, 6.5e3]] },
      { index: 17, process: 2, type: 'info', f: 'send' },
      { index: 18, process: 'c1', type: 'invoke', f: 'poll', value: [['poll']] },
      { index: 19, process: 'c1', type: 'ok', f: 'poll', value: [['poll', { x: [[0, 'a']], '3': [[7, 'é\n"q"']], '1': [[0, 5], [1, { nested: [1, 2] }], [2, 6500]] }], ['poll', { '1': [[3, -0]] }]], rebalanceLog: [{ keys: [3] }] },
      { index: 20, process: 4, type: 'invoke', f: 'txn', value: [['poll'], ['send', 'x', 'b']] },
      { index: 21, process: 4, type: 'fail', f: 'txn', value: [['poll', { x: [[0, 'a'], [1, 'z']] }], ['send', 'x', [1, 'b']]] },
      { index: 22, process: 5, type: 'invoke', f: 'send', value: [['send', 'x', 'c']] },
      { index: 23, process: 6, type: 'invoke', f: 'crash' },
      { index: 24, process: 6, type: 'info', f: 'crash' },
      { index: 25, process: 'nemesis', type: 'info', f: 'kill', value: null },
      { index: 26, process: 7, type: 'invoke', f: 'poll', value: [['poll']], time: 1.5 },
      { index: 27, process: 7, type: 'ok', f: 'poll', value: [['poll', { x: [[1, 'b'], [3, 'c']], '01': [] }]] },
    ];
    const lines = ops.map((o) => JSON.stringify(o));
    lines.splice(3, 0, '', '   ');
    lines[5] = `  ${lines[5]!.replace('"index":', ' "index" : ')}\r`;
    const path = writeLines(lines);
    const fromOps = await viaOps(path);
    expect('result' in fromOps, JSON.stringify(fromOps)).toBe(true);
    const r = (fromOps as { result: CheckResult }).result;
    expect(r.anomalyTypes.length).toBeGreaterThan(0);
    for (const opts of [{}, { wwDeps: true, rwDeps: true }] as CheckOptions[]) expect(await viaFile(path, opts)).toEqual(await viaOps(path, opts));
  });

  it('for exactly-once too: a copy history with a duplicate, a loss, an aborted read and a phantom', async () => {
    const rows: [number, string, string, unknown][] = [
      [0, 'invoke', 'send', [['send', 'in', 'a'], ['send', 'in', 'b'], ['send', 'in', 'c']]],
      [0, 'ok', 'send', [['send', 'in', [0, 'a']], ['send', 'in', [1, 'b']], ['send', 'in', [2, 'c']]]],
      [1, 'invoke', 'txn', [['poll']]],
      [1, 'ok', 'txn', [['poll', { in: [[0, 'a'], [1, 'b']] }], ['send', 'out', [0, 'a']], ['send', 'out', [1, 'b']]]],
      [2, 'invoke', 'txn', [['poll']]],
      [2, 'fail', 'txn', [['poll', { in: [[2, 'c']] }], ['send', 'out', [2, 'c']]]],
      [3, 'invoke', 'poll', [['poll']]],
      [3, 'ok', 'poll', [['poll', { out: [[0, 'a'], [1, 'b'], [2, 'c'], [3, 'a'], [4, 'zz']] }]]],
    ];
    const ops: Op[] = rows.map(([process, type, f, value], index) => ({ index, process, type: type as Op['type'], f, value }));
    const path = writeLines(ops.map((o) => JSON.stringify(o)));
    const fromOps = await outcome(() => checkExactlyOnce(ops));
    expect('result' in fromOps && fromOps.result.anomalyTypes).toEqual(['aborted-read', 'duplicate', 'phantom']);
    expect(await outcome(async () => (await exactlyOnceChecker.checkFile!(path, 'kafka-exactly-once', { format: 'jsonl' }))!)).toEqual(fromOps);
  });

  it('on histories corrupted one byte at a time: same history or same error', async () => {
    const history = kafkaQueueHistory({ seed: 7, ops: 30, concurrency: 3, txnRate: 0.4, failRate: 0.1, infoRate: 0.05 });
    const lines = history.map((op: Op) => JSON.stringify(op));
    const random = seededRandom(11);
    const replacements = ['0', '7', '-', '.', 'e', '"', '\\', '[', ']', '{', '}', ',', ':', ' ', 'n', 'x', 'é', '\u0001'];
    let errors = 0;
    for (let trial = 0; trial < 400; trial++) {
      const corrupted = [...lines];
      const i = Math.floor(random() * corrupted.length);
      const line = corrupted[i]!;
      const at = Math.floor(random() * line.length);
      corrupted[i] = line.slice(0, at) + replacements[Math.floor(random() * replacements.length)]! + line.slice(at + 1);
      const path = writeLines(corrupted);
      const expected = await viaOps(path);
      if ('error' in expected) errors++;
      expect(await viaFile(path), `line ${i + 1}: ${corrupted[i]}`).toEqual(expected);
      rmSync(path);
    }
    expect(errors).toBeGreaterThan(50);
  });
});
