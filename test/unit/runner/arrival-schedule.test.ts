import { describe, expect, it } from 'vitest';
import { arrivalOffsets } from '../../../workloads/runner/arrival-schedule.js';

function take(gen: Generator<bigint>, n: number): bigint[] {
  return Array.from({ length: n }, () => gen.next().value as bigint);
}

describe('arrivalOffsets', () => {
  it('spaces uniform arrivals exactly 1/rate apart without drift', () => {
    expect(take(arrivalOffsets({ rate: 4, arrival: 'uniform' }), 5)).toEqual([0n, 250_000_000n, 500_000_000n, 750_000_000n, 1_000_000_000n]);
    const third = arrivalOffsets({ rate: 3, arrival: 'uniform' });
    const offsets = take(third, 300_001);
    // 100 000 s in, the arrival lands on the second, not off by accumulated rounding.
    expect(offsets[300_000]).toBe(100_000_000_000_000n);
    expect(offsets[1]).toBe(333_333_333n);
    expect(offsets[2]).toBe(666_666_667n);
  });

  it('draws Poisson gaps with the requested mean, reproducibly', () => {
    const a = take(arrivalOffsets({ rate: 1000, arrival: 'poisson', seed: 42 }), 20_001);
    const b = take(arrivalOffsets({ rate: 1000, arrival: 'poisson', seed: 42 }), 20_001);
    expect(a).toEqual(b);
    const meanGapMs = Number(a[20_000]!) / 20_000 / 1e6;
    expect(meanGapMs).toBeGreaterThan(0.95);
    expect(meanGapMs).toBeLessThan(1.05);
    for (let i = 1; i < a.length; i++) expect(a[i]! >= a[i - 1]!).toBe(true);
    // Exponential gaps: about e^-1 of them exceed the mean.
    let longer = 0;
    for (let i = 1; i < a.length; i++) if (a[i]! - a[i - 1]! > 1_000_000n) longer++;
    expect(longer / 20_000).toBeGreaterThan(0.33);
    expect(longer / 20_000).toBeLessThan(0.41);
  });

  it('rejects a rate that is not a positive number', () => {
    expect(() => arrivalOffsets({ rate: 0, arrival: 'uniform' }).next()).toThrow(/positive/);
    expect(() => arrivalOffsets({ rate: Number.NaN, arrival: 'poisson' }).next()).toThrow(/positive/);
  });
});
