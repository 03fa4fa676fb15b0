import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningKafkaBroker, startKafkaBroker } from '../../../../servers/kafka/kafka-broker.js';

/** An in-process reference broker on a free loopback port with a temp log dir. */
export async function startTestBroker(properties: Record<string, string> = {}): Promise<RunningKafkaBroker & { logDir: string; stop: () => Promise<void> }> {
  const logDir = mkdtempSync(join(tmpdir(), 'kz-broker-'));
  const broker = await startKafkaBroker({ port: 0, logDir, properties: { 'group.initial.rebalance.delay.ms': '0', ...properties } });
  return {
    ...broker,
    logDir,
    stop: async () => {
      await broker.close();
      rmSync(logDir, { recursive: true, force: true });
    },
  };
}
