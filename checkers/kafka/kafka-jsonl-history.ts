import type { JsonBytes } from '../history/json-bytes.js';
import { forEachJsonlLine, parseJsonLine, readJsonlRecordAt } from '../history/jsonl-stream.js';
import { OpLineScanner } from '../history/op-line-scanner.js';
import { OpPairer } from '../history/op-pairer.js';
import { OpRecordReader, type OpDefaults } from '../history/op-record.js';
import type { Op } from '../history/op.js';
import { isNil, KafkaHistoryBuilder, SCANNED } from './kafka-history-builder.js';
import { type KafkaHistory, SEND, POLL, TXN, kafkaFs } from './kafka-history.js';

const dataFs: ReadonlySet<string> = new Set([kafkaFs[SEND], kafkaFs[POLL], kafkaFs[TXN]]);

export interface KafkaFileOptions {
  /** Fields to assume when the history leaves them out. */
  defaults?: OpDefaults;
}

/**
 * Reads a Kafka queue `history.jsonl` straight into the checker's columns. Lines are read in
 * place from the file's bytes: an op's fields become a small record that lives until its
 * operation completes, and a completion's records go straight into the typed arrays, so no
 * object is made per polled record (lines of unusual shape go through JSON.parse, with the
 * same result). The same checks as the Op reader apply, with the file's line numbers in
 * errors. The few values explanations quote are read again from the file.
 */
export function readKafkaJsonlFile(path: string, opts: KafkaFileOptions = {}): KafkaHistory {
  const records = new OpRecordReader(opts.defaults);
  const builder = new KafkaHistoryBuilder();
  // Micro-ops are read where they stand in the line, once the line's type is known.
  const scanner = new OpLineScanner((cursor, record) => typeof record.type === 'string' && builder.scanner.scanAt(cursor, record.type !== 'invoke'));
  // One position, updated line by line: errors are thrown at once, so it is never stale.
  const where = { source: path, line: 0 };
  const pairer = new OpPairer<Op>(() => ({ ...where }));
  /** Byte offset of each open invocation's line. */
  const invokedAt = new Map<Op, number>();
  /** Per added op: the byte offset of the line whose value explanations quote. */
  let shownAt = new Float64Array(1 << 16);
  const valueAt = (byteOffset: number) => (readJsonlRecordAt(path, byteOffset) as { value?: unknown }).value;
  const invokeValue = (invoke: Op) => valueAt(invokedAt.get(invoke)!);
  const add = (invoke: Op, completion: Op | undefined, outcome: 'ok' | 'info' | 'fail', completionValue: unknown, completionAt: number) => {
    const at = invokedAt.get(invoke)!;
    const slot = builder.add(invoke, completion, outcome, completionValue, invokeValue);
    if (slot < 0) return;
    if (slot === shownAt.length) {
      const grown = new Float64Array(shownAt.length * 2);
      grown.set(shownAt);
      shownAt = grown;
    }
    shownAt[slot] = isNil(completionValue) ? at : completionAt;
  };
  forEachJsonlLine(path, (buf, start, end, lineNo, byteOffset) => {
    where.line = lineNo;
    const scanned = scanner.scan(buf, start, end);
    let record: unknown;
    let value: JsonBytes | unknown;
    if (scanned) {
      record = scanned.record;
      // What the scanner read is micro-ops; an assign or subscribe reads its bytes instead.
      value = scanned.valueRead && dataFs.has(scanned.record.f as string) ? SCANNED : scanned.value;
    } else {
      record = parseJsonLine(buf, start, end, path, lineNo);
      value = (record as { value?: unknown } | null)?.value;
    }
    const op = records.read(record, where);
    const invoke = pairer.accept(op);
    if (invoke === null) invokedAt.set(op, byteOffset);
    else if (invoke) {
      add(invoke, op, op.type as 'ok' | 'info' | 'fail', value, byteOffset);
      invokedAt.delete(invoke);
    }
  });
  for (const invoke of pairer.stillOpen()) add(invoke, undefined, 'info', undefined, -1);
  return builder.finish((slot) => valueAt(shownAt[slot]!));
}
