import { describe, expect, it } from 'vitest';
import { kafkaQueueHistory } from '../../../checkers/kafka/kafka-history-generator.js';
import { checkKafkaQueue, KafkaQueueDetails } from '../../../checkers/kafka/kafka-queue-checker.js';

describe('kafka queue checker on generated histories', () => {
  it('is deterministic per seed', () => {
    expect(kafkaQueueHistory({ seed: 3, ops: 300, concurrency: 4 })).toEqual(kafkaQueueHistory({ seed: 3, ops: 300, concurrency: 4 }));
  });

  it.each([1, 2, 3, 4])('accepts a correct queue with transactions, crashes and aborts (seed %i)', (seed) => {
    const ops = kafkaQueueHistory({ seed, ops: 3000, concurrency: 6, txnRate: 0.2, failRate: 0.03, infoRate: 0.01 });
    const r = checkKafkaQueue(ops);
    expect((r.details as KafkaQueueDetails).badErrorTypes).toEqual([]);
    expect(r.valid).toBe(true);
  });

  it('catches lost writes', () => {
    const r = checkKafkaQueue(kafkaQueueHistory({ seed: 1, ops: 3000, concurrency: 6, loseWrites: 0.01 }));
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toEqual(expect.arrayContaining(['lost-write', 'unseen']));
  });

  it('catches duplicated records', () => {
    const r = checkKafkaQueue(kafkaQueueHistory({ seed: 1, ops: 3000, concurrency: 6, duplicateWrites: 0.01 }));
    expect(r.valid).toBe(false);
    expect(r.anomalyTypes).toContain('duplicate');
  });
});
