import { ApiKey } from './api-keys.js';
import { defineMessage } from './schema/message-schema.js';

/**
 * Request header. v0 (no client id) is only used by ControlledShutdown v0; v1 adds the
 * client id; v2 (flexible requests) adds tagged fields, but the client id keeps its int16
 * length so that an old broker can still read any ApiVersions request's header.
 */
export const RequestHeader = defineMessage({
  name: 'RequestHeader',
  type: 'header',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'requestApiKey', type: 'int16', versions: '0+' },
    { name: 'requestApiVersion', type: 'int16', versions: '0+' },
    { name: 'correlationId', type: 'int32', versions: '0+' },
    { name: 'clientId', type: 'string', versions: '1+', nullableVersions: '1+', flexibleVersions: 'none', default: null, ignorable: true },
  ],
});

/** Response header: v0 is the correlation id; v1 (flexible responses) adds tagged fields. */
export const ResponseHeader = defineMessage({
  name: 'ResponseHeader',
  type: 'header',
  validVersions: '0-1',
  flexibleVersions: '1+',
  fields: [{ name: 'correlationId', type: 'int32', versions: '0+' }],
});

/** Header version of a request, given whether the request's version is flexible. */
export function requestHeaderVersion(apiKey: number, apiVersion: number, flexible: boolean): number {
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  return flexible ? 2 : 1;
}

/**
 * Header version of a response. ApiVersions responses always use v0, even when the body is
 * flexible (v3+): a client that does not yet know the broker's versions must be able to
 * parse the header. One stray tagged-field byte here breaks librdkafka badly.
 */
export function responseHeaderVersion(apiKey: number, flexible: boolean): number {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return flexible ? 1 : 0;
}
