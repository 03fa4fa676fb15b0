/** The Kafka conformance suite: scenario files, runner, normaliser. See docs/conformance.md ("Kafka"). */
import type { ConformanceSuite } from '../suite-runner.js';
import { describeKafkaTarget, type KafkaTarget } from './kafka-target.js';
import { runKafkaScenario } from './kafka-suite.js';
import type { LoadedKafkaScenario } from './scenario-loader.js';

export { loadKafkaScenarioDirectory, loadKafkaScenarioFile, parseKafkaScenarioFile, type LoadedKafkaScenario } from './scenario-loader.js';
export { alignKafkaTargets, prepareKafkaTarget, REFERENCE_KAFKA_MATCHES, type KafkaTarget } from './kafka-target.js';
export { startApacheKafka, conformanceBrokerProperties } from './apache-target.js';
export { KafkaNormaliser } from './kafka-normaliser.js';

export const kafkaSuite: ConformanceSuite<LoadedKafkaScenario, KafkaTarget> = {
  system: 'kafka',
  describeTarget: describeKafkaTarget,
  runScenario: runKafkaScenario,
};
