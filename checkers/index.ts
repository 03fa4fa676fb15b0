/**
 * kzbench checkers: a standalone library that reads histories and judges them. It imports only
 * from common/ and npm packages.
 */
export type { Anomaly, CheckOptions, CheckResult, Checker, Validity } from './checker.js';
export * from './history/index.js';
