import { describe, expect, it } from 'vitest';
import { ChunkScheduler } from '../../../workloads/nemesis/chunk-scheduler.js';
import { validateToxic, type Toxic } from '../../../workloads/nemesis/toxics.js';

const bytes = (n: number) => Buffer.alloc(n, 1);
/** A random source that always returns the same value. */
const constant = (v: number) => () => v;

describe('chunk scheduler (toxic timing, no sockets)', () => {
  it('without toxics a chunk leaves when it arrives', () => {
    const s = new ChunkScheduler(constant(0.5));
    expect(s.schedule(bytes(10), [], 1000)).toEqual([{ data: bytes(10), releaseAt: 1000 }]);
  });

  it('latency adds its delay; jitter stays within ± jitter', () => {
    const toxic: Toxic = { type: 'latency', latencyMs: 100, jitterMs: 20 };
    expect(new ChunkScheduler(constant(0.5)).schedule(bytes(1), [toxic], 0)[0]!.releaseAt).toBe(100);
    expect(new ChunkScheduler(constant(0)).schedule(bytes(1), [toxic], 0)[0]!.releaseAt).toBe(80);
    expect(new ChunkScheduler(constant(0.999999)).schedule(bytes(1), [toxic], 0)[0]!.releaseAt).toBeCloseTo(120, 3);
  });

  it('never reorders: a later chunk with less jitter still leaves after the earlier one', () => {
    let n = 0;
    const values = [0.999999, 0];
    const s = new ChunkScheduler(() => values[n++ % 2]!);
    const toxic: Toxic = { type: 'latency', latencyMs: 50, jitterMs: 40 };
    const first = s.schedule(bytes(1), [toxic], 0)[0]!.releaseAt;
    const second = s.schedule(bytes(1), [toxic], 1)[0]!.releaseAt;
    expect(first).toBeCloseTo(90, 3);
    expect(second).toBeGreaterThanOrEqual(first);
  });

  it('bandwidth spaces chunks by size / rate', () => {
    const s = new ChunkScheduler(constant(0.5));
    const toxic: Toxic = { type: 'bandwidth', bytesPerSecond: 1000 };
    expect(s.schedule(bytes(500), [toxic], 0)[0]!.releaseAt).toBe(500);
    expect(s.schedule(bytes(250), [toxic], 0)[0]!.releaseAt).toBe(750);
    // An idle link does not bank credit.
    expect(s.schedule(bytes(100), [toxic], 5000)[0]!.releaseAt).toBe(5100);
  });

  it('loss holds an unlucky chunk for doubling retransmission timeouts, a lucky one not at all', () => {
    const toxic: Toxic = { type: 'loss', probability: 0.5, retransmitMs: 200 };
    expect(new ChunkScheduler(constant(0.9)).schedule(bytes(1), [toxic], 0)[0]!.releaseAt).toBe(0);
    let draws = 0;
    const twiceUnlucky = () => (draws++ < 2 ? 0.1 : 0.9);
    expect(new ChunkScheduler(twiceUnlucky).schedule(bytes(1), [toxic], 0)[0]!.releaseAt).toBe(600);
  });

  it('slicer cuts a chunk into pieces spaced by its delay, bytes intact', () => {
    const data = Buffer.from('abcdefghij');
    const pieces = new ChunkScheduler(constant(0.5)).schedule(data, [{ type: 'slicer', averageSize: 3, delayMs: 10 }], 0);
    expect(pieces.map((p) => p.data.toString())).toEqual(['abc', 'def', 'ghi', 'j']);
    expect(pieces.map((p) => p.releaseAt)).toEqual([0, 10, 20, 30]);
  });

  it('rejects nonsense toxics', () => {
    expect(() => validateToxic({ type: 'loss', probability: 1.5 })).toThrow(/\[0, 1\)/);
    expect(() => validateToxic({ type: 'bandwidth', bytesPerSecond: 0 })).toThrow(/positive/);
    expect(() => validateToxic({ type: 'latency', latencyMs: -1 })).toThrow(/non-negative/);
    expect(() => validateToxic({ type: 'warp' } as unknown as Toxic)).toThrow(/unknown toxic/);
  });
});
