/** The ZooKeeper conformance suite: scenario files, runner, normaliser. See docs/conformance.md. */
import type { ConformanceSuite } from '../suite-runner.js';
import { loadScenarioDirectory, type LoadedScenario } from './scenario-loader.js';
import { describeZooKeeperTarget, type ZooKeeperTarget } from './zookeeper-target.js';
import { runZooKeeperScenario } from './zookeeper-suite.js';

export { loadScenarioDirectory, loadScenarioFile, parseScenarioFile, type LoadedScenario } from './scenario-loader.js';
export { prepareZooKeeperTarget, type ZooKeeperTarget } from './zookeeper-target.js';
export { startApacheZooKeeper } from './apache-target.js';
export { conformanceZooCfg, TICK_TIME_MS, type Capability } from './target-profile.js';
export { normaliseTranscript } from './zookeeper-normaliser.js';

export const zooKeeperSuite: ConformanceSuite<LoadedScenario, ZooKeeperTarget> = {
  system: 'zookeeper',
  describeTarget: describeZooKeeperTarget,
  runScenario: runZooKeeperScenario,
};
