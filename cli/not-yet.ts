import { UsageError } from '../common/errors.js';

/**
 * A command of the contract whose issue has not landed yet. It says so and exits 2; it never
 * pretends to have done the work.
 */
export function notYetImplemented(command: string, issue: number): never {
  throw new UsageError(
    'KZ_NOT_IMPLEMENTED',
    `'kzbench ${command}' is not implemented yet (tracked in issue #${issue}).`,
  );
}
