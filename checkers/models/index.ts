import { casRegisterModel, registerModel } from './register.js';
import { fifoQueueModel, unorderedQueueModel } from './queues.js';
import { kvModel } from './kv.js';
import type { Model } from './model.js';
import { multiRegisterModel } from './multi-register.js';
import { mutexModel } from './mutex.js';
import { setModel } from './set.js';

export { Inconsistent, isInconsistent, type Model, type ModelOp, type StateKey } from './model.js';
export { canonicalJson, sameValue, showValue } from './model-values.js';

/** Every sequential model the linearizability checker knows, by `--model` name. */
export const linearizabilityModels: ReadonlyMap<string, Model<any>> = new Map<string, Model<any>>(
  [registerModel, casRegisterModel, multiRegisterModel, kvModel, mutexModel, setModel, unorderedQueueModel, fifoQueueModel].map((m) => [m.name, m]),
);

export function findModel(name: string): Model<unknown> | undefined {
  return linearizabilityModels.get(name) as Model<unknown> | undefined;
}
