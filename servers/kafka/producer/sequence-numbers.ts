/**
 * Producer sequence numbers are int32s that wrap from Int32.MAX to 0 (Apache
 * `DefaultRecordBatch.incrementSequence` / `decrementSequence`). -1 means "no sequence".
 */
export const NO_SEQUENCE = -1;
const INT32_MAX = 0x7fffffff;

/** The sequence `increment` records after `sequence`, wrapping. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence === NO_SEQUENCE) return NO_SEQUENCE;
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

/** The sequence `decrement` records before `sequence`, wrapping. */
export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence === NO_SEQUENCE) return NO_SEQUENCE;
  if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** Whether `next` directly follows `last` (0 follows Int32.MAX). */
export function inSequence(last: number, next: number): boolean {
  return next === last + 1 || (next === 0 && last === INT32_MAX);
}
