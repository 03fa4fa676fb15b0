/**
 * kzbench checkers: a standalone library that reads histories and judges them. It imports only
 * from common/ and npm packages.
 */
export type { Anomaly, CheckOptions, CheckResult, Checker, HistoryFileOptions, Validity } from './checker.js';
export * from './history/index.js';
export { checkers, checkerFor, availableModels } from './registry.js';
export { formatCheckResultText } from './check-result-text.js';
export {
  linearizabilityChecker,
  describeOp,
  type LinearizabilityDetails,
  type LinearizabilityOptions,
  type PartitionSummary,
} from './linearizability/linearizability-checker.js';
export type { PartitionFailure, PathStep, ReportedOp, TimelineOp } from './linearizability/partition-result.js';
export { casRegisterHistory, kvHistory, seededRandom, type SyntheticOptions } from './linearizability/synthetic-histories.js';
export { linearizabilityModels, findModel, Inconsistent, isInconsistent, type Model, type ModelOp } from './models/index.js';
export { zookeeperSessionChecker, zookeeperSessionRules } from './zookeeper/zookeeper-session-checker.js';
export { elleChecker, checkElle } from './elle/elle-checker.js';
export { kafkaQueueChecker, checkKafkaQueue, checkKafkaQueueFile, type KafkaQueueDetails } from './kafka/kafka-queue-checker.js';
export { exactlyOnceChecker, checkExactlyOnce } from './kafka/exactly-once-checker.js';
