import { Fetcher, IsolationLevel } from '../clients/kafka/fetcher.js';
import { KafkaClient } from '../clients/kafka/kafka-client.js';
import { type EosHistory, partitionKey } from './eos-history.js';

export interface OutputVerifierOptions {
  bootstrap: string;
  topic: string;
  partitions: number;
  /** Gives up (throws) when the output cannot be read to its end within this long. */
  timeoutMs: number;
}

/**
 * Reads every output partition from its start to its end with read_committed, one `poll` op
 * per fetch: what a consumer sees once the copy is over. The end is the last stable offset,
 * once it has caught up with the high watermark (no transaction left open).
 */
export async function readOutput(history: EosHistory, o: OutputVerifierOptions): Promise<number> {
  const process = history.newProcess();
  const deadline = Date.now() + o.timeoutMs;
  let seen = 0;
  for (let p = 0; p < o.partitions; p++) {
    const key = partitionKey('out', p);
    let offset = 0;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`could not read ${o.topic}-${p} to its end within ${o.timeoutMs} ms (at offset ${offset})`);
      let client: KafkaClient | undefined;
      let complete: ((type: 'ok' | 'fail', value: unknown, error?: unknown) => void) | undefined;
      try {
        client = await KafkaClient.connect({ bootstrap: o.bootstrap, clientId: 'kzbench-eos-verifier', requestTimeoutMs: 15_000 });
        const fetcher = new Fetcher(client);
        for (;;) {
          complete = history.invoke(process, 'poll', [['poll']]);
          const r = await fetcher.fetch(o.topic, p, offset, { isolationLevel: IsolationLevel.readCommitted, maxWaitMs: 100, minBytes: 0, maxBytes: 4 * 1024 * 1024 });
          complete('ok', [['poll', { [key]: r.records.map((rec) => [rec.offset, rec.value!.toString()]) }]]);
          complete = undefined;
          seen += r.records.length;
          offset = r.nextOffset;
          if (offset >= r.lastStableOffset && r.lastStableOffset === r.highWatermark) break;
          if (r.records.length === 0 && offset >= r.lastStableOffset) await new Promise((res) => setTimeout(res, 100));
        }
        break;
      } catch (err) {
        // A read that failed returned nothing: it did not happen.
        complete?.('fail', [['poll']], err);
        await new Promise((res) => setTimeout(res, 250));
      } finally {
        await client?.close().catch(() => {});
      }
    }
  }
  return seen;
}
