/** ConfigResource types (Apache `ConfigResource.Type`). */
export const ResourceType = { topic: 2, broker: 4, brokerLogger: 8 } as const;
