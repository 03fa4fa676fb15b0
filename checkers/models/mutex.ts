import { UsageError } from '../../common/errors.js';
import { Inconsistent, type Model } from './model.js';

/** A single lock: `acquire` only while free, `release` only while held. Starts free. */
export const mutexModel: Model<boolean> = {
  name: 'mutex',
  operations: ['acquire', 'release'],
  description: 'a lock: acquire while free, release while held; starts free (--init true: held)',
  initial(init) {
    if (init === undefined || init === null || init === false || init === 'free') return false;
    if (init === true || init === 'held' || init === 'locked') return true;
    throw new UsageError('KZ_CHECK_BAD_INIT', `mutex --init must be true (held) or false (free); got ${JSON.stringify(init)}`);
  },
  step(held, op) {
    if (op.f === 'acquire') return held ? new Inconsistent(() => "can't acquire the mutex: it is already held") : true;
    return held ? false : new Inconsistent(() => "can't release the mutex: it is not held");
  },
  stateKey: (held) => held,
  describe: (held) => (held ? 'held' : 'free'),
  validate: () => undefined,
  isNoOp: () => false,
};
