/** A topic config name or value Apache would refuse with INVALID_CONFIG; the message says which and why. */
export class InvalidConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}
