import { forEachJsonlRecord, readJsonlRecordAt } from '../history/jsonl-stream.js';
import { OpPairer } from '../history/op-pairer.js';
import { OpRecordReader, type OpDefaults } from '../history/op-record.js';
import type { Op } from '../history/op.js';
import { KafkaHistoryBuilder, shownValueOp } from './kafka-history-builder.js';
import type { KafkaHistory } from './kafka-history.js';

export interface KafkaFileOptions {
  /** Fields to assume when the history leaves them out. */
  defaults?: OpDefaults;
}

/**
 * Reads a Kafka queue `history.jsonl` straight into the checker's columns. Each line's op
 * lives only until its operation completes; the same checks as the Op reader apply, with the
 * file's line numbers in errors. Explanations that quote an op's value read its line again.
 */
export function readKafkaJsonlFile(path: string, opts: KafkaFileOptions = {}): KafkaHistory {
  const records = new OpRecordReader(opts.defaults);
  let line = 0;
  const pairer = new OpPairer<Op>(() => ({ source: path, line }));
  const builder = new KafkaHistoryBuilder();
  /** Byte offset of each open invocation's line. */
  const invokedAt = new Map<Op, number>();
  /** Per added op: the byte offset of the line whose value explanations quote. */
  let shownAt = new Float64Array(1 << 16);
  const add = (invoke: Op, completion: Op | undefined, outcome: 'ok' | 'info' | 'fail', completionAt: number) => {
    const slot = builder.add(invoke, completion, outcome);
    if (slot < 0) return;
    if (slot === shownAt.length) {
      const grown = new Float64Array(shownAt.length * 2);
      grown.set(shownAt);
      shownAt = grown;
    }
    shownAt[slot] = shownValueOp(invoke, completion) === invoke ? invokedAt.get(invoke)! : completionAt;
  };
  forEachJsonlRecord(path, (record, lineNo, byteOffset) => {
    line = lineNo;
    const op = records.read(record, { source: path, line });
    const invoke = pairer.accept(op);
    if (invoke === null) invokedAt.set(op, byteOffset);
    else if (invoke) {
      add(invoke, op, op.type as 'ok' | 'info' | 'fail', byteOffset);
      invokedAt.delete(invoke);
    }
  });
  for (const invoke of pairer.stillOpen()) add(invoke, undefined, 'info', -1);
  return builder.finish((slot) => (readJsonlRecordAt(path, shownAt[slot]!) as Op).value);
}
