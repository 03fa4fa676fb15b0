import type { CommandModule } from '../command-context.js';
import { registerApache } from './apache.js';
import { registerBench } from './bench.js';
import { registerCheck } from './check.js';
import { registerCluster } from './cluster.js';
import { registerConformance } from './conformance.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerZk } from './zk.js';

/** Every command of the DESIGN.md contract, in the order --help lists them. */
export const commandModules: CommandModule[] = [
  registerServe,
  registerApache,
  registerCluster,
  registerRun,
  registerCheck,
  registerBench,
  registerConformance,
  registerReport,
  registerZk,
];
