import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../workloads/runner/virtual-clock.js';

describe('VirtualClock', () => {
  it('jumps to the earliest deadline once nothing else can run, waking sleepers in order', async () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    const sleeper = async (name: string, at: bigint): Promise<void> => {
      await clock.sleepUntil(at);
      log.push(`${name}@${clock.now()}`);
    };
    await Promise.all([sleeper('b', 200n), sleeper('a', 100n), sleeper('c', 200n), sleeper('now', 0n)]);
    expect(log).toEqual(['now@0', 'a@100', 'b@200', 'c@200']);
    expect(clock.now()).toBe(200n);
    expect(clock.pending).toBe(0);
  });

  it('cancels a sleep when its signal aborts', async () => {
    const clock = new VirtualClock();
    const ac = new AbortController();
    const long = clock.sleepUntil(10_000n, ac.signal);
    await clock.sleep(5n);
    ac.abort();
    await long;
    expect(clock.now()).toBe(5n);
    expect(clock.pending).toBe(0);
  });
});
