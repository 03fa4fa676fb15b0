import { defineMessage } from '../schema/message-schema.js';

/**
 * ApiVersions (key 18). v3 is the first flexible version and adds the client software name/version; v4 allows feature MinVersion 0. The response ALWAYS travels with response header v0 (see headers.ts).
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const ApiVersionsRequest = defineMessage({
  name: 'ApiVersionsRequest',
  apiKey: 18,
  type: 'request',
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'clientSoftwareName', type: 'string', versions: '3+', ignorable: true },
    { name: 'clientSoftwareVersion', type: 'string', versions: '3+', ignorable: true },
  ],
});

export const ApiVersionsResponse = defineMessage({
  name: 'ApiVersionsResponse',
  apiKey: 18,
  type: 'response',
  validVersions: '0-4',
  flexibleVersions: '3+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'apiKeys', type: '[]struct', versions: '0+', fields: [
      { name: 'apiKey', type: 'int16', versions: '0+' },
      { name: 'minVersion', type: 'int16', versions: '0+' },
      { name: 'maxVersion', type: 'int16', versions: '0+' },
    ] },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'supportedFeatures', type: '[]struct', versions: '3+', tag: 0, taggedVersions: '3+', ignorable: true, fields: [
      { name: 'name', type: 'string', versions: '3+' },
      { name: 'minVersion', type: 'int16', versions: '3+' },
      { name: 'maxVersion', type: 'int16', versions: '3+' },
    ] },
    { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', tag: 1, taggedVersions: '3+', default: -1n, ignorable: true },
    { name: 'finalizedFeatures', type: '[]struct', versions: '3+', tag: 2, taggedVersions: '3+', ignorable: true, fields: [
      { name: 'name', type: 'string', versions: '3+' },
      { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
      { name: 'minVersionLevel', type: 'int16', versions: '3+' },
    ] },
    { name: 'zkMigrationReady', type: 'bool', versions: '3+', tag: 3, taggedVersions: '3+', default: false, ignorable: true },
  ],
});
