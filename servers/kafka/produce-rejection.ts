import { ErrorCode } from '../../protocols/kafka/error-codes.js';

export interface RecordError {
  batchIndex: number;
  batchIndexErrorMessage: string | null;
}

/**
 * Where Apache refuses the records decides what its answer carries:
 * - `request`: refused before the log (ProduceRequest.validateRecords, a corrupt or too large
 *   batch): no log start offset and no error message;
 * - `batch`: refused by the log's validation of the batch (InvalidRecordException): the log
 *   start offset, still no error message;
 * - `records`: refused record by record (RecordValidationException): the log start offset,
 *   the records' errors (recordErrors, v8+) and an error message summing them up.
 */
export type RejectionStage = 'request' | 'batch' | 'records';

export interface ProduceRejection {
  ok: false;
  errorCode: number;
  stage: RejectionStage;
  /** Apache's message for the refusal: logged, and answered as errorMessage at the `records` stage. */
  message: string;
  recordErrors: RecordError[];
}

export function reject(stage: RejectionStage, errorCode: number, message: string, recordErrors: RecordError[] = []): ProduceRejection {
  return { ok: false, errorCode, stage, message, recordErrors };
}

/** Records refused one by one (RecordValidationException): INVALID_RECORD naming each, with Apache's summary as the message. */
export function rejectRecords(recordErrors: RecordError[]): ProduceRejection {
  return reject('records', ErrorCode.INVALID_RECORD, recordErrorsSummary(recordErrors), recordErrors);
}

/** A compacted topic needs a key on every record; Apache names each keyless record by its index in the batch. */
export function rejectKeyless(keys: Array<Buffer | null>, topicPartition: string): ProduceRejection | undefined {
  const recordErrors: RecordError[] = [];
  keys.forEach((key, batchIndex) => {
    if (key === null) recordErrors.push({ batchIndex, batchIndexErrorMessage: `Compacted topic cannot accept message without key in topic partition ${topicPartition}` });
  });
  if (recordErrors.length === 0) return undefined;
  return rejectRecords(recordErrors);
}

/** Apache's errorMessage for records refused one by one (LogValidator.processRecordErrors). */
function recordErrorsSummary(errors: RecordError[]): string {
  const shown = errors.slice(0, 3).map((e) => `RecordError(batchIndex=${e.batchIndex}, message=${e.batchIndexErrorMessage === null ? 'null' : `'${e.batchIndexErrorMessage}'`})`);
  return `One or more records have been rejected due to ${errors.length} record errors in total, and only showing the first three errors at most: [${shown.join(', ')}]`;
}
