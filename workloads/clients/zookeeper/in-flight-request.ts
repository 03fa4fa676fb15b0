import type { JuteReader } from '../../../protocols/zookeeper/index.js';
import type { Watcher, WatchRegistry } from './watch-registry.js';

/**
 * What the client does with a reply once its xid matched: decode the body (when err is 0),
 * register watches, settle the promise. One static function per operation kind, so a request
 * costs no per-call closure beyond its promise.
 */
export type Completion = (request: InFlightRequest, err: number, reader: JuteReader, watches: WatchRegistry) => void;

/** A request from submission to reply. */
export interface InFlightRequest {
  xid: number;
  type: number;
  /** The request record; dropped once encoded. */
  body: unknown;
  path: string | undefined;
  watcher: Watcher | undefined;
  completion: Completion;
  resolve: (value: never) => void;
  reject: (error: Error) => void;
}
