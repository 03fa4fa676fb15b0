import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { nines, ninesGrid, percentileAt, percentileSpectrum, resolvableNines } from '../../../reports/histogram-spectrum.js';
import { formatCount, formatLatency, formatNines, formatRate, formatRatio } from '../../../reports/number-format.js';

describe('nines axis', () => {
  it('maps percentiles to log10(100 / (100 - p)) and back', () => {
    expect(nines(0)).toBe(0);
    expect(nines(90)).toBeCloseTo(1, 12);
    expect(nines(99.9)).toBeCloseTo(3, 9);
    expect(percentileAt(2)).toBeCloseTo(99, 12);
    expect(resolvableNines(1000)).toBeCloseTo(3.5, 12);
    expect(resolvableNines(1e12)).toBe(6);
    expect(ninesGrid(1, 0.25)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('reads a spectrum from a base64 histogram, ending at the maximum', () => {
    const h = build({ numberOfSignificantValueDigits: 3 });
    for (let v = 1; v <= 1000; v++) h.recordValue(v);
    const spectrum = percentileSpectrum(encodeIntoCompressedBase64(h), [0, 1, 2, 3, 3.5, 4]);
    expect(spectrum).toEqual([1, 900, 990, 999, 1000, null]);
  });

  it('labels ticks the way readers say them', () => {
    expect([0, Math.log10(2), 1, 2, 3, 4, 5].map(formatNines)).toEqual(['0%', '50%', '90%', '99%', '99.9%', '99.99%', '99.999%']);
  });
});

describe('number formats', () => {
  it('keeps three significant figures and switches units where rounding would carry', () => {
    expect([0, 850, 999.4, 999.6, 1234, 999_400, 999_600, 2_500_000, 90_000_000].map(formatLatency)).toEqual([
      '0 µs',
      '850 µs',
      '999 µs',
      '1.00 ms',
      '1.23 ms',
      '999 ms',
      '1.00 s',
      '2.50 s',
      '1.50 min',
    ]);
    expect(formatLatency(null)).toBe('—');
    expect([0.5, 12.4, 950, 12_345, 2_300_000].map(formatRate)).toEqual(['0.50/s', '12/s', '950/s', '12.3k/s', '2.30M/s']);
    expect([0.05, 0.5, 1.843, 12.34].map(formatRatio)).toEqual(['0.050×', '0.50×', '1.84×', '12.3×']);
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
