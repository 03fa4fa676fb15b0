import { describe, expect, it } from 'vitest';
import { latencyRate } from '../../../workloads/bench/latency-rate.js';
import type { MeasuredCell } from '../../../workloads/bench/load-cells.js';
import { formatNanos, microPage } from '../../../workloads/bench/micro-page.js';
import { svgLineChart } from '../../../workloads/bench/svg-line-chart.js';
import { median, textTable } from '../../../workloads/bench/text-table.js';
import type { WorkloadMeasurement } from '../../../workloads/bench/workload-measurement.js';

/** A measured cell whose repetitions had these ok-op counts over 1 s. */
function cell(...okCounts: number[]): MeasuredCell {
  const reps = okCounts.map(
    (ok) =>
      ({
        load: { measuredSeconds: 1, ops: [{ op: 'x', counts: { ok, fail: 0, info: 0, dropped: 0 } }] },
        cpuMicrosPerOp: 1,
        connections: 1,
        check: undefined,
        facts: {},
      }) as unknown as WorkloadMeasurement,
  );
  return { cell: {} as MeasuredCell['cell'], configured: {} as MeasuredCell['configured'], reps, errors: [] };
}

describe('the latency-run rate', () => {
  it('keeps the configured rate when every server sustains twice that', () => {
    expect(latencyRate(1000, [cell(5000), cell(2100, 2000, 2200)], 'ops/s')).toEqual({ rate: 1000, note: null });
  });

  it('drops to half the slowest median capacity, rounded down to two figures, and says so', () => {
    const { rate, note } = latencyRate(2000, [cell(9000), cell(1000, 1330, 1400)], 'ops/s');
    expect(rate).toBe(660);
    expect(note).toContain('660 ops/s instead of 2000');
  });

  it('ignores cells that measured nothing', () => {
    expect(latencyRate(500, [cell(), cell(0)], 'ops/s').rate).toBe(500);
  });
});

describe('text output', () => {
  it('aligns columns: words left, numbers right', () => {
    expect(textTable(['op', 'ok/s'], [['create', '5'], ['getData', '12345']]).split('\n')).toEqual(['op        ok/s', '-------  -----', 'create       5', 'getData  12345']);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('formats nanoseconds with a unit that keeps three figures', () => {
    expect(formatNanos(850)).toBe('850 ns');
    expect(formatNanos(12_345)).toBe('12.3 µs');
    expect(formatNanos(1_204_000)).toBe('1.20 ms');
  });
});

describe('bench pages', () => {
  it('the micro page lists measured tasks per group, reports the ones that could not run, and exports ops/s', () => {
    const page = microPage(
      [
        { group: 'g', task: 'fast', opsPerSecond: 2_000_000, meanNs: 500, p50Ns: 480, p99Ns: 900, rmePercent: 1.5, samples: 1000 },
        { group: 'g', task: 'missing', opsPerSecond: 0, meanNs: 0, p50Ns: 0, p99Ns: 0, rmePercent: 0, samples: 0, note: 'fixture not found' },
      ],
      { quick: true },
    );
    expect(page.tables).toHaveLength(1);
    expect(page.tables[0]!.rows).toEqual([['fast', '2,000,000', '500 ns', '480 ns', '900 ns', '1.5%', '1,000']]);
    expect(page.notes).toEqual(['g: missing: fixture not found']);
    expect(page.benchmarkAction.biggerIsBetter).toEqual([{ name: 'micro: g: fast', unit: 'ops/s', value: 2_000_000, range: '± 1.5%' }]);
  });

  it('scaling charts put a tick on every decade of a log axis and escape labels', () => {
    const svg = svgLineChart({
      title: 'time <by> size',
      xLabel: 'ops',
      yLabel: 'ms',
      logX: true,
      logY: true,
      series: [{ label: 'a & b', points: [{ x: 100, y: 2 }, { x: 10_000, y: 300 }] }],
    });
    expect(svg).toContain('time &#60;by&#62; size');
    expect(svg).toContain('a &#38; b');
    // x from 10^2 to 10^4: three decade ticks; y from 10^0 to 10^3: four.
    expect(svg.match(/text-anchor="middle">(100|1000|10000)</g)).toHaveLength(3);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svgLineChart({ title: 't', xLabel: '', yLabel: '', logX: true, series: [{ label: 's', points: [{ x: 0, y: 1 }] }] })).toContain('no data');
  });
});
