import { describe, expect, it } from 'vitest';
import { Code, KeeperError } from '../../../../servers/zookeeper/keeper-error.js';
import { ExpiryQueue } from '../../../../servers/zookeeper/session/expiry-queue.js';
import { checkPassword, generatePassword } from '../../../../servers/zookeeper/session/session-password.js';
import { SessionTracker, initialSessionId } from '../../../../servers/zookeeper/session/session-tracker.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { clock: { elapsed: () => now, wall: () => now }, advance: (ms: number) => (now += ms) };
}

describe('sessions', () => {
  it('derives passwords exactly as java.util.Random seeded with sessionId ^ 0xB3415C00', () => {
    // Reference values printed by the JDK for the same session ids.
    expect(generatePassword(72057594037927937n).toString('hex')).toBe('054cc74a37327db215e702e20c73f005');
    expect(generatePassword(-5n).toString('hex')).toBe('d47144b5e45e45c49c3b7fdcd66257ba');
    expect(checkPassword(-5n, generatePassword(-5n))).toBe(true);
    expect(checkPassword(-5n, Buffer.alloc(16))).toBe(false);
    expect(checkPassword(0n, generatePassword(0n))).toBe(false);
  });

  it('builds the first session id from the server id and 40 bits of the clock', () => {
    const id = initialSessionId(1, 0x1234567890ab);
    // (time << 24) >>> 8 keeps the low 40 bits of the clock (0x34567890ab) above 16 zero bits.
    expect(BigInt.asUintN(64, id).toString(16)).toBe('134567890ab0000');
    expect(BigInt.asUintN(64, initialSessionId(0, 0x1234567890ab)).toString(16)).toBe('34567890ab0000');
  });

  it('rounds expiry up to the next tick bucket', () => {
    const { clock, advance } = fakeClock(1000);
    const q = new ExpiryQueue<string>(100, clock.elapsed);
    expect(q.update('a', 250)).toBe(1300);
    expect(q.update('a', 250)).toBeNull();
    advance(250); // 1250: the 1100 and 1200 buckets are due, both empty
    expect(q.poll().size).toBe(0);
    expect(q.poll().size).toBe(0);
    expect(q.waitTime()).toBe(50);
    expect(q.poll().size).toBe(0);
    advance(50);
    expect([...q.poll()]).toEqual(['a']);
  });

  it('expires sessions that are not touched, and keeps touched ones', () => {
    const { clock, advance } = fakeClock();
    const expired: bigint[] = [];
    const t = new SessionTracker(100, 0, clock, (s) => expired.push(s.id));
    const a = t.createSession(300);
    const b = t.createSession(300);
    expect(b).toBe(a + 1n);
    for (let i = 0; i < 5; i++) {
      advance(100);
      t.touch(b);
      t.expireDue();
    }
    expect(expired).toEqual([a]);
    expect(t.get(a)?.closing).toBe(true);
    expect(() => t.checkSession(a, {})).toThrow(KeeperError);
    t.removeSession(a);
    try {
      t.checkSession(a, {});
    } catch (err) {
      expect((err as KeeperError).code).toBe(Code.UNKNOWNSESSION);
    }
    try {
      t.checkGlobalSession(a, {});
    } catch (err) {
      expect((err as KeeperError).code).toBe(Code.SESSIONEXPIRED);
    }
    expect(t.touchSession(b, 1000)).toBe(true);
    expect(t.touchSession(a, 1000)).toBe(false);
    t.stop();
  });
});
