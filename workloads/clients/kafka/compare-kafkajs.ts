/**
 * Drive the same broker with kafkajs 2.2.4 and with FastProducer, same record count, size and
 * acks, and print records/s, MB/s and the ratio (bounded; for the docs and the bench engineer):
 *
 *   node --import tsx workloads/clients/kafka/compare-kafkajs.ts 127.0.0.1:9092 [records] [recordSize] [acks] [repeats]
 *
 * Each repeat runs both clients (alternating which goes first) on fresh topics; medians are printed last.
 *
 * kafkajs has no linger: it is given the same batching by sending arrays of
 * batchSize/recordSize messages, with maxInFlight such sends outstanding.
 */
import kafkajs from 'kafkajs';
import { runProduceLoad, type ProduceLoadResult } from './produce-driver.js';

const [bootstrap = '127.0.0.1:9092', recordsArg = '200000', sizeArg = '100', acksArg = '-1', repeatsArg = '1'] = process.argv.slice(2);
const repeats = Math.max(1, Number(repeatsArg));
const records = Number(recordsArg);
const recordSize = Number(sizeArg);
const acks = Number(acksArg) as 0 | 1 | -1;
const batchSize = 64 * 1024;
const maxInFlight = 5;

async function kafkajsLoad(topic: string): Promise<ProduceLoadResult> {
  const kafka = new kafkajs.Kafka({ clientId: 'kzbench-kafkajs', brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ maxInFlightRequests: maxInFlight, allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.alloc(recordSize, 0x61);
  const perSend = Math.max(1, Math.floor(batchSize / (recordSize + 20)));
  const start = process.hrtime.bigint();
  let sent = 0;
  let batches = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (sent < records) {
    const n = Math.min(perSend, records - sent);
    const messages = new Array(n);
    for (let i = 0; i < n; i++) messages[i] = { value };
    sent += n;
    const p: Promise<unknown> = producer.send({ topic, acks, messages }).then((): boolean => inFlight.delete(p));
    inFlight.add(p);
    batches++;
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const durationNs = process.hrtime.bigint() - start;
  await producer.disconnect();
  const seconds = Number(durationNs) / 1e9;
  return { records, bytes: records * recordSize, batches, failedBatches: 0, durationNs, recordsPerSec: records / seconds, megabytesPerSec: (records * recordSize) / seconds / 1048576 };
}

const line = (name: string, r: ProduceLoadResult) =>
  `${name.padEnd(14)} ${r.records} records x ${recordSize} B, acks=${acks}: ${Math.round(r.recordsPerSec).toLocaleString('en')} records/s, ${r.megabytesPerSec.toFixed(2)} MB/s (${(Number(r.durationNs) / 1e9).toFixed(2)} s, ${r.batches} batches)`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const jsRates: number[] = [];
const ourRates: number[] = [];
for (let i = 0; i < repeats; i++) {
  const suffix = `${Date.now().toString(36)}-${i}`;
  const runJs = async () => {
    const r = await kafkajsLoad(`cmp-kafkajs-${suffix}`);
    console.log(line('kafkajs 2.2.4', r));
    jsRates.push(r.recordsPerSec);
  };
  const runOurs = async () => {
    const r = await runProduceLoad({ bootstrap, topic: `cmp-fast-${suffix}`, createPartitions: 1, records, recordSize, acks, lingerMs: 5, batchSize, maxInFlight });
    console.log(line('FastProducer', r));
    ourRates.push(r.recordsPerSec);
  };
  if (i % 2 === 0) {
    await runJs();
    await runOurs();
  } else {
    await runOurs();
    await runJs();
  }
}
const js = median(jsRates);
const ours = median(ourRates);
const mb = (rate: number) => ((rate * recordSize) / 1048576).toFixed(2);
console.log(`median of ${repeats}: kafkajs ${Math.round(js).toLocaleString('en')} records/s (${mb(js)} MB/s), FastProducer ${Math.round(ours).toLocaleString('en')} records/s (${mb(ours)} MB/s), ratio ${(ours / js).toFixed(2)}x`);
