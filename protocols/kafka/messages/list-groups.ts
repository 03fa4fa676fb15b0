import { defineMessage } from '../schema/message-schema.js';

/**
 * ListGroups (key 16). v3 flexible; v4 states filter; v5 types filter.
 * Written from Apache Kafka's message specs (3.9 for old versions, 4.1 for new ones).
 */
export const ListGroupsRequest = defineMessage({
  name: 'ListGroupsRequest',
  apiKey: 16,
  type: 'request',
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'statesFilter', type: '[]string', versions: '4+' },
    { name: 'typesFilter', type: '[]string', versions: '5+' },
  ],
});

export const ListGroupsResponse = defineMessage({
  name: 'ListGroupsResponse',
  apiKey: 16,
  type: 'response',
  validVersions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', ignorable: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'groups', type: '[]struct', versions: '0+', fields: [
      { name: 'groupId', type: 'string', versions: '0+' },
      { name: 'protocolType', type: 'string', versions: '0+' },
      { name: 'groupState', type: 'string', versions: '4+', ignorable: true },
      { name: 'groupType', type: 'string', versions: '5+', ignorable: true },
    ] },
  ],
});
