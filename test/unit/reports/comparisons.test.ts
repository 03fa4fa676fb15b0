import { describe, expect, it } from 'vitest';
import { compareResultsFiles, computeComparisons } from '../../../reports/comparisons.js';
import type { Results, RunResult } from '../../../reports/results-schema.js';

const hist = 'HISTFAAAABp4nJNpmSzMwMDACMXMDBDACKWZ4HwAMzIBUA==';

function run(implementation: string, client: string, op: string, okPerSecond: number, p99: number, opts: Partial<RunResult> = {}): RunResult {
  const stats = { count: 100, mean: p99 / 2, p50: p99 / 4, p90: p99 / 2, p99, p99_9: p99 * 2, p99_99: p99 * 3, max: p99 * 4, histogram: hist };
  return {
    id: `${implementation} / ${client} / ${op}`,
    implementation,
    client,
    op,
    mode: 'open',
    measuredSeconds: 10,
    counts: { ok: okPerSecond * 10, fail: 0, info: 0, dropped: 0 },
    throughput: { okPerSecond, completedPerSecond: okPerSecond },
    latency: { unit: 'us', intended: stats, service: { ...stats, p50: stats.p50 / 2, p99: stats.p99 / 2 } },
    intervalSeconds: 1,
    series: [],
    ...opts,
  };
}

describe('computeComparisons', () => {
  it('compares implementations per op and client, against the first implementation', () => {
    const cmp = computeComparisons([run('apache', 'c', 'create', 1000, 2000), run('reference', 'c', 'create', 1840, 1000)]);
    const throughput = cmp.find((c) => c.metric === 'okPerSecond')!;
    expect(throughput).toMatchObject({ axis: 'implementation', baseline: 'apache / c / create', candidate: 'reference / c / create', biggerIsBetter: true, better: 'candidate' });
    expect(throughput.ratio).toBeCloseTo(1.84, 10);
    const p99 = cmp.find((c) => c.metric === 'p99' && c.latency === 'intended')!;
    expect(p99).toMatchObject({ ratio: 0.5, biggerIsBetter: false, better: 'candidate' });
    expect(cmp.find((c) => c.metric === 'p99' && c.latency === 'service')).toMatchObject({ baselineValue: 1000, candidateValue: 500 });
    expect(cmp.map((c) => `${c.metric}/${c.latency}`)).toEqual(['okPerSecond/null', 'p50/intended', 'p99/intended', 'p99_9/intended', 'p50/service', 'p99/service']);
  });

  it('honours a chosen baseline, compares clients on the same implementation, and never mixes ops', () => {
    const runs = [
      run('apache', 'kafkajs', 'send', 100, 10),
      run('reference', 'kafkajs', 'send', 200, 10),
      run('reference', 'kcat', 'send', 50, 40),
      run('reference', 'kafkajs', 'poll', 300, 5),
    ];
    const cmp = computeComparisons(runs, { implementation: 'reference' });
    const impl = cmp.filter((c) => c.axis === 'implementation');
    expect(new Set(impl.map((c) => c.baseline))).toEqual(new Set(['reference / kafkajs / send']));
    expect(impl.find((c) => c.metric === 'okPerSecond')).toMatchObject({ candidate: 'apache / kafkajs / send', ratio: 0.5, better: 'baseline' });
    // Same latency within 1%: neither wins.
    expect(impl.find((c) => c.metric === 'p99' && c.latency === 'intended')!.better).toBe('equal');
    const client = cmp.filter((c) => c.axis === 'client');
    expect(client.find((c) => c.metric === 'okPerSecond')).toMatchObject({ baseline: 'reference / kafkajs / send', candidate: 'reference / kcat / send', ratio: 0.25 });
    expect(cmp.every((c) => c.op === 'send')).toBe(true);
  });

  it('uses medians of repetitions when present, and service time for closed-loop runs', () => {
    const a = run('a', 'c', 'x', 100, 1000, { repetitions: [{ okPerSecond: 90, p50: 1, p99: 10 }, { okPerSecond: 120, p50: 1, p99: 10 }, { okPerSecond: 100, p50: 1, p99: 10 }] });
    const b = run('b', 'c', 'x', 200, 1000, { mode: 'closed' });
    b.latency.intended = null;
    const cmp = computeComparisons([a, b]);
    expect(cmp.find((c) => c.metric === 'okPerSecond')).toMatchObject({ baselineValue: 100, candidateValue: 200 });
    // a is open loop but b has no intended-start view: only service time is comparable.
    expect(cmp.filter((c) => c.latency === 'intended')).toEqual([]);
  });

  it('handles a zero baseline without dividing by it', () => {
    const cmp = computeComparisons([run('a', 'c', 'x', 0, 10), run('b', 'c', 'x', 10, 10)]);
    expect(cmp.find((c) => c.metric === 'okPerSecond')).toMatchObject({ ratio: null, better: 'candidate' });
  });
});

describe('compareResultsFiles', () => {
  const file = (runs: RunResult[]): Results => ({ runs }) as unknown as Results;

  it('pairs each run of a later file with its counterpart in the first', () => {
    const first = file([run('reference', 'c', 'get', 100, 10), run('reference', 'c', 'set', 50, 20)]);
    const second = file([run('reference', 'c', 'get', 150, 10), run('reference', 'c', 'delete', 10, 10)]);
    const cmp = compareResultsFiles([
      { label: 'before', results: first },
      { label: 'after', results: second },
    ]);
    expect(new Set(cmp.map((c) => c.op))).toEqual(new Set(['get']));
    expect(cmp[0]).toMatchObject({ axis: 'results', baseline: 'before: reference / c / get', candidate: 'after: reference / c / get', ratio: 1.5 });
  });

  it('falls back to the same op when each file measured a different implementation', () => {
    const cmp = compareResultsFiles([
      { label: 'ref', results: file([run('reference', 'c', 'get', 100, 10)]) },
      { label: 'apache', results: file([run('apache', 'c', 'get', 50, 10)]) },
    ]);
    expect(cmp.find((c) => c.metric === 'okPerSecond')).toMatchObject({ baseline: 'ref: reference / c / get', candidate: 'apache: apache / c / get', ratio: 0.5 });
  });
});
