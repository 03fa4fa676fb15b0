import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningKafkaBroker, startKafkaBroker } from '../../../../servers/kafka/kafka-broker.js';

/** Small internal topics keep test brokers light; the partitioning rules are the same. */
export const testBrokerDefaults: Record<string, string> = {
  'group.initial.rebalance.delay.ms': '0',
};

export type TestBroker = RunningKafkaBroker & {
  logDir: string;
  /** Clean shutdown, then removes the log dir. */
  stop: () => Promise<void>;
  /** Clean shutdown and a new broker on the same log dir (and port). */
  restart: () => Promise<TestBroker>;
};

/** An in-process reference broker on a free loopback port with a temp log dir (or `logDir`). */
export async function startTestBroker(properties: Record<string, string> = {}, opts: { logDir?: string; port?: number } = {}): Promise<TestBroker> {
  const logDir = opts.logDir ?? mkdtempSync(join(tmpdir(), 'kz-broker-'));
  const broker = await startKafkaBroker({ port: opts.port ?? 0, logDir, properties: { ...testBrokerDefaults, ...properties } });
  return {
    ...broker,
    logDir,
    stop: async () => {
      await broker.close();
      rmSync(logDir, { recursive: true, force: true });
    },
    restart: async () => {
      await broker.close();
      return startTestBroker(properties, { logDir, port: broker.port });
    },
  };
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
