import { existsSync, writeFileSync } from 'node:fs';
import { UsageError } from '../../common/errors.js';

/**
 * Clock skew without touching the machine's clock. Each node gets an offset file; the JVMs
 * read it through libfaketime (`LD_PRELOAD`, `FAKETIME_TIMESTAMP_FILE`, re-read at most once a
 * second), the reference servers through their injected clock (`KZBENCH_CLOCK_OFFSET_FILE`).
 * Only wall-clock time moves: monotonic time stays true (`FAKETIME_DONT_FAKE_MONOTONIC`), as
 * when NTP steps a clock, so JVM timers and the servers' session expiry keep working.
 * The file holds libfaketime's relative offset: `+0`, `+12s`, `-7s`.
 */
export { clockOffsetEnvVar } from '../../common/clock-offset.js';

const libfaketimeCandidates = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/faketime/libfaketimeMT.so.1',
  '/usr/local/lib/faketime/libfaketimeMT.so.1',
];

/** The multithreaded libfaketime (JVMs are multithreaded), or null when it is not installed. */
export function findLibfaketime(): string | null {
  return libfaketimeCandidates.find((p) => existsSync(p)) ?? null;
}

export function requireLibfaketime(): string {
  const lib = findLibfaketime();
  if (!lib) throw new UsageError('KZ_NEMESIS_FAKETIME_MISSING', 'the clock fault skews the Apache JVMs with libfaketime, which is not installed (Debian: apt-get install faketime)');
  return lib;
}

/** The environment a JVM needs to follow its offset file. */
export function faketimeEnvironment(offsetFile: string, lib = requireLibfaketime()): Record<string, string> {
  return {
    LD_PRELOAD: lib,
    FAKETIME_TIMESTAMP_FILE: offsetFile,
    FAKETIME_CACHE_DURATION: '1',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/** Writes a node's offset (whole seconds; libfaketime's relative form). */
export function writeClockOffset(file: string, offsetMs: number): void {
  const seconds = Math.round(offsetMs / 1000);
  writeFileSync(file, `${seconds >= 0 ? '+' : ''}${seconds}s\n`);
}
