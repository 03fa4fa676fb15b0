import { readFileSync } from 'node:fs';

/**
 * The nemesis's clock skew for the reference servers: the environment names an offset file
 * (libfaketime's relative format: `+0`, `+12s`, `-7s`) that the server follows, moving its
 * wall clock only, as when NTP steps a clock (workloads/nemesis/clock-skew.ts writes it).
 */
export const clockOffsetEnvVar = 'KZBENCH_CLOCK_OFFSET_FILE';

/** Re-read period: the file changes only at the nemesis's start and heal. */
const REREAD_MS = 250;

/**
 * Follows `file` and returns the current offset in ms (0 while it is missing or unreadable).
 * The re-read timer does not keep the process alive.
 */
export function followClockOffset(file: string): () => number {
  let offsetMs = 0;
  const read = () => {
    try {
      const m = /^\s*([+-]?\d+(?:\.\d+)?)s?\s*$/.exec(readFileSync(file, 'utf8'));
      offsetMs = m ? Math.round(Number(m[1]) * 1000) : 0;
    } catch {
      offsetMs = 0;
    }
  };
  read();
  setInterval(read, REREAD_MS).unref();
  return () => offsetMs;
}
