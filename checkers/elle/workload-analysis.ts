import type { DataExplainer } from './cycle-explanation.js';
import type { DependencyGraphBuilder } from './dependency-graph.js';

/**
 * What a workload (list-append, rw-register, Kafka) hands the cycle machinery: the data
 * dependency edges it inferred, how to explain them, and figures for the report. Non-cycle
 * anomalies go straight into the shared AnomalyCollector.
 */
export interface WorkloadAnalysis {
  builder: DependencyGraphBuilder;
  explainer: DataExplainer;
  /** Which relation explains an edge carrying several (see CycleAnalysisOptions). */
  relationPriority: readonly number[];
  stats?: Record<string, number>;
  /** Set when the history cannot be analysed at all (e.g. duplicate appends): the verdict is unknown. */
  unusable?: { type: string; explanation: string };
}
