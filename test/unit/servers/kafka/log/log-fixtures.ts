import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRecordBatch, type BuildBatchOptions, type ProducerMessage } from '../../../../../protocols/kafka/records/index.js';
import { defaultLogConfig, type LogConfig } from '../../../../../servers/kafka/log/log-config.js';
import type { PartitionLog } from '../../../../../servers/kafka/log/partition-log.js';

export function tempDir(prefix = 'kz-log-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function config(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...defaultLogConfig, indexIntervalBytes: 256, ...overrides };
}

/** Appends one producer batch of `messages` and returns its offsets. */
export async function appendMessages(log: PartitionLog, messages: ProducerMessage[], opts: BuildBatchOptions = {}, now = Date.now()) {
  const batch = await buildRecordBatch(messages, opts);
  return log.append(batch, [[0, batch.length]], 0, now);
}

export function values(prefix: string, n: number, ts = Date.now()): ProducerMessage[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${prefix}-${i}`, timestamp: ts }));
}
