import { defineMessage } from '../schema/message-schema.js';

/**
 * SaslHandshake (key 17). v1 means SaslAuthenticate follows. Schema only: kzbench does not authenticate.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const SaslHandshakeRequest = defineMessage({
  name: 'SaslHandshakeRequest',
  apiKey: 17,
  type: 'request',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    { name: 'mechanism', type: 'string', versions: '0+' },
  ],
});

export const SaslHandshakeResponse = defineMessage({
  name: 'SaslHandshakeResponse',
  apiKey: 17,
  type: 'response',
  validVersions: '0-1',
  flexibleVersions: 'none',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'mechanisms', type: '[]string', versions: '0+' },
  ],
});
