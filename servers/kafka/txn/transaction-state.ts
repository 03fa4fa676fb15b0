/**
 * Transaction states as Apache's coordinator names and numbers them (`TransactionState`,
 * the `TransactionStatus` byte of `__transaction_state` values), with the transitions it allows.
 */
export const TransactionStates = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence'] as const;
export type TransactionState = (typeof TransactionStates)[number];

export function transactionStateId(state: TransactionState): number {
  return TransactionStates.indexOf(state);
}

export function transactionStateFromId(id: number): TransactionState {
  const s = TransactionStates[id];
  if (!s) throw new Error(`unknown transaction state id ${id}`);
  return s;
}

export function isTransactionStateName(name: string): name is TransactionState {
  return (TransactionStates as readonly string[]).includes(name);
}

const validPrevious: Record<TransactionState, TransactionState[]> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing', 'PrepareEpochFence'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
  Dead: ['Empty', 'CompleteAbort', 'CompleteCommit'],
  PrepareEpochFence: ['Ongoing'],
};

export function canTransition(from: TransactionState, to: TransactionState): boolean {
  return validPrevious[to].includes(from);
}
