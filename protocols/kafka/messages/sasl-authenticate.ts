import { defineMessage } from '../schema/message-schema.js';

/**
 * SaslAuthenticate (key 36). v1 session lifetime; v2 flexible. Schema only.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const SaslAuthenticateRequest = defineMessage({
  name: 'SaslAuthenticateRequest',
  apiKey: 36,
  type: 'request',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'authBytes', type: 'bytes', versions: '0+' },
  ],
});

export const SaslAuthenticateResponse = defineMessage({
  name: 'SaslAuthenticateResponse',
  apiKey: 36,
  type: 'response',
  validVersions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'authBytes', type: 'bytes', versions: '0+' },
    { name: 'sessionLifetimeMs', type: 'int64', versions: '1+', default: 0n, ignorable: true },
  ],
});
