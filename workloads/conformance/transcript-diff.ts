import type { JsonValue, Mismatch, TranscriptEntry } from './conformance-result.js';

/**
 * Compares two normalised transcripts step by step. Steps are matched by their index (the
 * same scenario ran on both sides); within a step every differing leaf is one mismatch, so a
 * report names exactly the field that differs, with both values.
 */
export function diffTranscripts(left: readonly TranscriptEntry[], right: readonly TranscriptEntry[]): Mismatch[] {
  const byStep = new Map<number, { label: string; left?: JsonValue; right?: JsonValue }>();
  for (const e of left) byStep.set(e.step, { label: e.label, left: e.value });
  for (const e of right) {
    const slot = byStep.get(e.step);
    if (slot) slot.right = e.value;
    else byStep.set(e.step, { label: e.label, right: e.value });
  }
  const mismatches: Mismatch[] = [];
  for (const step of [...byStep.keys()].sort((a, b) => a - b)) {
    const slot = byStep.get(step)!;
    for (const d of diffValues(slot.left, slot.right)) mismatches.push({ step, label: slot.label, ...d });
  }
  return mismatches;
}

export interface ValueDifference {
  path: string;
  left: JsonValue | undefined;
  right: JsonValue | undefined;
}

/** Every leaf where two JSON values differ; arrays compare by index, objects by key. */
export function diffValues(left: JsonValue | undefined, right: JsonValue | undefined, path = ''): ValueDifference[] {
  if (Array.isArray(left) && Array.isArray(right)) {
    const out: ValueDifference[] = [];
    for (let i = 0; i < Math.max(left.length, right.length); i++) out.push(...diffValues(left[i], right[i], `${path}[${i}]`));
    return out;
  }
  if (isObject(left) && isObject(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
    return keys.flatMap((k) => diffValues(left[k], right[k], path === '' ? k : `${path}.${k}`));
  }
  return left === right ? [] : [{ path, left, right }];
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
