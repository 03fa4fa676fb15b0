import { describe, expect, it } from 'vitest';
import { NO_SEQUENCE, decrementSequence, inSequence, incrementSequence } from '../../../../../servers/kafka/producer/sequence-numbers.js';

const MAX = 0x7fffffff;

describe('producer sequence numbers wrap at Int32.MAX', () => {
  it('increments and decrements across the wrap', () => {
    expect(incrementSequence(5, 3)).toBe(8);
    expect(incrementSequence(MAX - 1, 3)).toBe(1);
    expect(decrementSequence(1, 3)).toBe(MAX - 1);
    expect(decrementSequence(9, 3)).toBe(6);
    expect(incrementSequence(NO_SEQUENCE, 4)).toBe(NO_SEQUENCE);
  });
  it('0 follows Int32.MAX', () => {
    expect(inSequence(MAX, 0)).toBe(true);
    expect(inSequence(4, 5)).toBe(true);
    expect(inSequence(4, 6)).toBe(false);
    expect(inSequence(NO_SEQUENCE, 0)).toBe(true);
  });
});
