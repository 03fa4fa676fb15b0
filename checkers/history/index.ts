/** History formats and pairing: the part of checkers every checker and the workload runner share. */
export type { Op, OpType, ProcessId } from './op.js';
export { HistoryError, type SourcePosition } from './history-error.js';
export { historyFormats, isHistoryFormat, detectHistoryFormat, type HistoryFormat } from './history-format.js';
export {
  parseHistory,
  parseHistoryDetailed,
  readHistoryFile,
  readHistoryFileDetailed,
  detectHistoryFileFormat,
  type ParseHistoryOptions,
  type ParsedHistory,
} from './read-history.js';
export { pairOps, type OpPair, type FailedPair, type PairedHistory, type PairOptions } from './op-pairs.js';
export type { OpDefaults } from './op-record.js';
export { EdnReader, readAllEdn } from './edn-reader.js';
export { formatHistoryJsonl } from './jsonl-writer.js';
