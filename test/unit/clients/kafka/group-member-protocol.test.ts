import { describe, expect, it } from 'vitest';
import { KafkaCodecError } from '../../../../protocols/kafka/codec-error.js';
import {
  consumerAssignment,
  consumerSubscription,
  decodeConsumerAssignment,
  decodeConsumerSubscription,
} from '../../../../protocols/kafka/consumer-protocol.js';
import { assignPartitions } from '../../../../workloads/clients/kafka/group-member-assignors.js';
import { WakeableSleep } from '../../../../workloads/clients/kafka/group-member-timing.js';

describe('consumer protocol payloads (ConsumerProtocolSubscription / Assignment)', () => {
  it('encodes a v0 subscription byte for byte as the Java consumer does', () => {
    // int16 version 0, int32 one topic, int16 length 1, "t", int32 -1 (null user data)
    expect(consumerSubscription(['t']).toString('hex')).toBe('0000' + '00000001' + '0001' + '74' + 'ffffffff');
  });

  it('encodes a v0 assignment byte for byte', () => {
    // version 0, one topic "t" with partitions [0, 2], null user data
    expect(consumerAssignment([{ topic: 't', partitions: [0, 2] }]).toString('hex')).toBe('0000' + '00000001' + '0001' + '74' + '00000002' + '00000000' + '00000002' + 'ffffffff');
  });

  it('decodes what it encodes', () => {
    expect(decodeConsumerSubscription(consumerSubscription(['a', 'b'], Buffer.from('x')))).toEqual({ version: 0, topics: ['a', 'b'], userData: Buffer.from('x') });
    expect(decodeConsumerAssignment(consumerAssignment([{ topic: 'a', partitions: [3, 1] }]))).toEqual({ version: 0, partitions: [{ topic: 'a', partitions: [3, 1] }], userData: null });
  });

  it('reads a newer version as its newest, ignoring appended fields (as Apache does)', () => {
    // A v9 subscription: v3's fields (topics, user data, owned partitions, generation, rack) then unknown bytes.
    const v9 = Buffer.from('0009' + '00000001' + '0001' + '74' + 'ffffffff' + '00000000' + '00000007' + 'ffff' + 'deadbeef', 'hex');
    expect(decodeConsumerSubscription(v9)).toEqual({ version: 9, topics: ['t'], userData: null });
  });

  it('an empty assignment payload is an empty assignment; malformed bytes are a codec error', () => {
    expect(decodeConsumerAssignment(Buffer.alloc(0)).partitions).toEqual([]);
    expect(() => decodeConsumerSubscription(Buffer.from('0000000000', 'hex'))).toThrow(KafkaCodecError);
    expect(() => decodeConsumerAssignment(Buffer.from('ffff', 'hex'))).toThrow(KafkaCodecError);
  });
});

describe('group member assignors', () => {
  it('range: contiguous shares by member id, the first members get the remainder', () => {
    expect(assignPartitions('range', ['c', 'a', 'b'], 7)).toEqual(
      new Map([
        ['a', [0, 1, 2]],
        ['b', [3, 4]],
        ['c', [5, 6]],
      ]),
    );
  });

  it('roundrobin: partitions dealt in member id order', () => {
    expect(assignPartitions('roundrobin', ['b', 'a'], 5)).toEqual(
      new Map([
        ['a', [0, 2, 4]],
        ['b', [1, 3]],
      ]),
    );
  });

  it('more members than partitions: the last members get none; every partition exactly once', () => {
    for (const assignor of ['range', 'roundrobin'] as const) {
      const shares = assignPartitions(assignor, ['m1', 'm2', 'm3', 'm4', 'm5'], 3);
      expect([...shares.values()].flat().sort()).toEqual([0, 1, 2]);
      expect(shares.get('m5')).toEqual([]);
    }
  });
});

describe('WakeableSleep', () => {
  it('a wake ends the sleep under way, and a wake while awake ends the next sleep at once', async () => {
    const s = new WakeableSleep();
    const sleeping = s.sleep(60_000);
    s.wake();
    await sleeping;
    s.wake();
    await s.sleep(60_000);
  });
});
