/** Reserved xids (ClientCnxn): replies and requests with these are not matched to the pending queue. */
export const SpecialXid = {
  /** A watch notification from the server. */
  notification: -1,
  ping: -2,
  auth: -4,
  setWatches: -8,
} as const;
export type SpecialXid = (typeof SpecialXid)[keyof typeof SpecialXid];
