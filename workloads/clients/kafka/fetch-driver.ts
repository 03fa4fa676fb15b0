import { Fetcher, type FetchOptions } from './fetcher.js';
import { KafkaClient } from './kafka-client.js';

export interface FetchLoadOptions extends FetchOptions {
  bootstrap: string;
  topic: string;
  /** Stop after this many records in total (over all partitions). */
  records: number;
  /** Partitions to read (default: all), each from `fromOffset` (default 0). */
  partitions?: number[];
  fromOffset?: number;
  /** Give up after this long (default 120 s). */
  timeoutMs?: number;
  clientId?: string;
}

export interface FetchLoadResult {
  records: number;
  /** Key + value bytes of the records read. */
  bytes: number;
  fetches: number;
  durationNs: bigint;
  recordsPerSec: number;
  megabytesPerSec: number;
}

/**
 * Read `records` records from a topic as fast as fetches return them (one fetch loop per
 * partition, each with its long poll), decoding every batch: the consuming counterpart of
 * runProduceLoad for benchmarks. The clock starts after connect and metadata.
 */
export async function runFetchLoad(opts: FetchLoadOptions): Promise<FetchLoadResult> {
  const client = await KafkaClient.connect({ bootstrap: opts.bootstrap, clientId: opts.clientId ?? 'kzbench-fetcher' });
  try {
    const info = await client.topic(opts.topic);
    const partitions = opts.partitions ?? info.partitions.map((p) => p.partition);
    const fetcher = new Fetcher(client);
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    let records = 0;
    let bytes = 0;
    let fetches = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      partitions.map(async (partition) => {
        let offset = opts.fromOffset ?? 0;
        while (records < opts.records) {
          if (Date.now() > deadline) throw new Error(`runFetchLoad: ${records} of ${opts.records} records read from ${opts.topic} before the timeout`);
          const r = await fetcher.fetch(opts.topic, partition, offset, opts);
          fetches++;
          offset = r.nextOffset;
          records += r.records.length;
          for (const rec of r.records) bytes += (rec.key?.length ?? 0) + (rec.value?.length ?? 0);
        }
      }),
    );
    const durationNs = process.hrtime.bigint() - start;
    const seconds = Number(durationNs) / 1e9;
    return { records, bytes, fetches, durationNs, recordsPerSec: records / seconds, megabytesPerSec: bytes / seconds / (1024 * 1024) };
  } finally {
    await client.close();
  }
}
