/** CreateMode: the `flags` of CreateRequest/CreateTTLRequest. */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

export function isSequential(flags: number): boolean {
  return flags === CreateMode.PERSISTENT_SEQUENTIAL || flags === CreateMode.EPHEMERAL_SEQUENTIAL || flags === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

export function isEphemeral(flags: number): boolean {
  return flags === CreateMode.EPHEMERAL || flags === CreateMode.EPHEMERAL_SEQUENTIAL;
}
