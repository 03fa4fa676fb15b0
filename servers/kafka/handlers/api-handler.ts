import type { KafkaApi } from '../../../protocols/kafka/api-catalog.js';
import type { RequestHeaderFields } from '../../../protocols/kafka/message-frames.js';
import type { MessageInput, MessageOf, MessageSpec } from '../../../protocols/kafka/schema/message-schema.js';
import type { BrokerState } from '../broker-state.js';

export interface RequestContext {
  header: RequestHeaderFields;
  broker: BrokerState;
  /** Resolves when the connection closes or the broker shuts down (ends long polls). */
  aborted: AbortSignal;
  /** The client's address as Apache reports it in group descriptions (`/127.0.0.1`). */
  clientHost: string;
}

/** What a handler returns: the response body, or `noResponse` (Produce with acks=0). */
export const noResponse = Symbol('noResponse');
/** acks=0 request that failed: Apache closes the connection instead of answering. */
export const closeConnection = Symbol('closeConnection');

export interface ApiHandler<Req extends MessageSpec = MessageSpec, Res extends MessageSpec = MessageSpec> {
  api: KafkaApi<Req, Res>;
  /** The versions this broker implements correctly and advertises. */
  minVersion: number;
  maxVersion: number;
  handle(
    request: MessageOf<Req>,
    ctx: RequestContext,
  ): MessageInput<Res> | typeof noResponse | typeof closeConnection | Promise<MessageInput<Res> | typeof noResponse | typeof closeConnection>;
}

export function defineHandler<Req extends MessageSpec, Res extends MessageSpec>(h: ApiHandler<Req, Res>): ApiHandler<Req, Res> {
  return h;
}
