/** Request types (ZooDefs.OpCode, identical in 3.8 and 3.9). */
export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  /** The type of a failed op inside a multi response. */
  error: -1,
} as const;
export type OpCodeName = keyof typeof OpCode;
export type OpCode = (typeof OpCode)[OpCodeName];

const opNames = new Map<number, OpCodeName>(
  (Object.entries(OpCode) as [OpCodeName, number][]).map(([name, code]) => [code, name]),
);

/** `getData` for 4; `op(999)` for a code ZooKeeper does not define. */
export function opCodeName(code: number): string {
  return opNames.get(code) ?? `op(${code})`;
}
