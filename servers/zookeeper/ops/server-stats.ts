/**
 * Counters the four-letter words and the AdminServer report (Apache's `ServerStats` plus the
 * handful of `ServerMetrics` we can measure for real). Latencies are in milliseconds, like
 * Apache's "Latency min/avg/max".
 */
export class ServerStats {
  packetsReceived = 0;
  packetsSent = 0;
  private latencyCount = 0;
  private latencyTotal = 0;
  minLatency = Number.MAX_SAFE_INTEGER;
  maxLatency = 0;
  authFailedCount = 0;
  fsyncThresholdExceeded = 0;
  connectionRejected = 0;
  lastClientResponseSize = -1;
  minClientResponseSize = Number.MAX_SAFE_INTEGER;
  maxClientResponseSize = -1;
  bytesReceived = 0;
  watchBytes = 0;
  staleSessionsExpired = 0;
  unsuccessfulHandshakes = 0;
  connectionRequests = 0;
  revalidations = 0;
  snapshotCount = 0;
  readonly startedAt = Date.now();

  recordLatency(ms: number): void {
    this.latencyCount++;
    this.latencyTotal += ms;
    if (ms < this.minLatency) this.minLatency = ms;
    if (ms > this.maxLatency) this.maxLatency = ms;
  }

  recordResponseSize(bytes: number): void {
    this.lastClientResponseSize = bytes;
    if (bytes < this.minClientResponseSize) this.minClientResponseSize = bytes;
    if (bytes > this.maxClientResponseSize) this.maxClientResponseSize = bytes;
  }

  get avgLatency(): number {
    return this.latencyCount === 0 ? 0 : this.latencyTotal / this.latencyCount;
  }

  get minLatencyOrZero(): number {
    return this.latencyCount === 0 ? 0 : this.minLatency;
  }

  get minResponseSize(): number {
    return this.minClientResponseSize === Number.MAX_SAFE_INTEGER ? -1 : this.minClientResponseSize;
  }

  /** `srst`: what Apache's `ServerStats.reset` clears. */
  reset(): void {
    this.latencyCount = 0;
    this.latencyTotal = 0;
    this.minLatency = Number.MAX_SAFE_INTEGER;
    this.maxLatency = 0;
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.fsyncThresholdExceeded = 0;
    this.authFailedCount = 0;
    this.lastClientResponseSize = -1;
    this.minClientResponseSize = Number.MAX_SAFE_INTEGER;
    this.maxClientResponseSize = -1;
  }
}
