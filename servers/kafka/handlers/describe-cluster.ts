import { KafkaApis } from '../../../protocols/kafka/api-catalog.js';
import { ErrorCode } from '../../../protocols/kafka/error-codes.js';
import { defineHandler } from './api-handler.js';

const BROKER_ENDPOINTS = 1;

/** DescribeCluster: this node is the cluster and its controller. Controller endpoints (type 2) are not exposed. */
export const describeClusterHandler = defineHandler({
  api: KafkaApis.DescribeCluster,
  minVersion: 0,
  maxVersion: 1,
  handle: (req, ctx) => {
    const { broker } = ctx;
    const base = { throttleTimeMs: 0, endpointType: req.endpointType, clusterId: broker.topics.clusterId, clusterAuthorizedOperations: -2147483648 };
    if (ctx.header.apiVersion >= 1 && req.endpointType !== BROKER_ENDPOINTS) {
      return { ...base, errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, errorMessage: 'only broker endpoints are served', controllerId: -1, brokers: [] };
    }
    const { host, port } = broker.config.advertised;
    return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, controllerId: broker.nodeId, brokers: [{ brokerId: broker.nodeId, host, port, rack: null }] };
  },
});
