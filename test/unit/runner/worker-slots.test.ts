import { describe, expect, it } from 'vitest';
import { WorkerSlots } from '../../../workloads/runner/worker-slots.js';

describe('WorkerSlots', () => {
  it('hands out slots round robin, bounds them, and retires process ids after info', () => {
    const slots = new WorkerSlots(3);
    expect([slots.acquire(), slots.acquire(), slots.acquire(), slots.acquire()]).toEqual([0, 1, 2, null]);
    expect(slots.inUse).toBe(3);
    slots.release(1);
    slots.retireProcess(0);
    slots.release(0);
    expect(slots.acquire()).toBe(1);
    expect(slots.acquire()).toBe(0);
    expect(slots.processOf(0)).toBe(3);
    slots.retireProcess(0);
    expect(slots.processOf(0)).toBe(6);
    expect(slots.processOf(2)).toBe(2);
  });

  it('stays correct over many cycles', () => {
    const slots = new WorkerSlots(2);
    for (let i = 0; i < 5000; i++) {
      const a = slots.acquire()!;
      expect(a).toBe(i % 2);
      slots.release(a);
    }
    expect(slots.inUse).toBe(0);
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => new WorkerSlots(0)).toThrow(/in-flight/);
    expect(() => new WorkerSlots(1.5)).toThrow(/in-flight/);
  });
});
