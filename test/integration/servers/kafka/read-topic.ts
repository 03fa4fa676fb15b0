import type { Kafka } from 'kafkajs';
import { waitFor } from './broker-fixture.js';

/**
 * Everything a fresh kafkajs consumer (read_committed unless asked otherwise) sees of `topic`:
 * an end marker is appended to every partition first, and reading stops once each partition's
 * marker arrived, so nothing stored before it (a leaked aborted record included) is missed.
 * Values starting with `end-` are markers and left out.
 */
export async function readTopic(kafka: Kafka, topic: string, partitions: number, readUncommitted = false): Promise<string[]> {
  const marker = `end-${Math.random()}`;
  const p = kafka.producer();
  await p.connect();
  for (let partition = 0; partition < partitions; partition++) await p.send({ topic, acks: -1, messages: [{ partition, value: marker }] });
  await p.disconnect();
  const seen: string[] = [];
  const ended = new Set<number>();
  const c = kafka.consumer({ groupId: `reader-${marker}`, readUncommitted });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  await c.run({
    eachMessage: async ({ partition, message }) => {
      const v = message.value!.toString();
      if (v === marker) ended.add(partition);
      else if (!v.startsWith('end-')) seen.push(v);
    },
  });
  await waitFor(`the end of every partition of ${topic}`, () => (ended.size === partitions ? true : undefined));
  await c.disconnect();
  return seen;
}
