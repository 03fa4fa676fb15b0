/**
 * Whether the broker behaves as Kafka 4+ (`--as-version 4.x`). Without `--as-version` it is
 * the 3.9 broker it reports. One place for the behaviours Kafka 4 changed beyond the API
 * versions it advertises (old Produce versions refused, zstd served to every Fetch version).
 */
export function emulatesKafka4(asVersion: string | undefined): boolean {
  return asVersion !== undefined && Number(asVersion.split('.')[0]) >= 4;
}
