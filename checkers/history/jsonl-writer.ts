import type { Op } from './op.js';

/** Serialises ops as `history.jsonl` lines (the inverse of the JSONL reader). */
export function formatHistoryJsonl(ops: readonly Op[]): string {
  let out = '';
  for (const op of ops) out += `${JSON.stringify(op)}\n`;
  return out;
}
