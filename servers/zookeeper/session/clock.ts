/**
 * Time sources the server reads, injectable so tests and the nemesis can skew them.
 * `elapsed` is monotonic (session expiry, as Apache's `Time.currentElapsedTime`);
 * `wall` is epoch milliseconds (ctime/mtime, as `Time.currentWallTime`).
 */
export interface Clock {
  elapsed(): number;
  wall(): number;
}

export const systemClock: Clock = {
  elapsed: () => Math.floor(performance.timeOrigin + performance.now()),
  wall: () => Date.now(),
};
