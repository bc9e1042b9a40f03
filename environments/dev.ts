import { StackConfig } from '../lib/config/stack-config';

/**
 * A developer cluster: one small node, single replicas, no cloud account. Requests are kept small
 * so that the whole stack fits next to the workloads it watches.
 */
export const dev: StackConfig = {
  environment: 'dev',
  clusterName: 'dev',
  // A laptop cluster (kind, k3d): one node, no zones to speak of.
  cluster: { zones: ['local'], nodesPerZone: 1, nodeCpu: '4', nodeMemory: '8Gi' },
  prometheus: {
    replicas: 1,
    retention: '2d',
    retentionSize: '4GB',
    storageSize: '5Gi',
    resources: { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '1Gi' },
  },
  prometheusOperator: {
    resources: { cpuRequest: '20m', memoryRequest: '48Mi', memoryLimit: '128Mi' },
  },
  kubeStateMetrics: {
    resources: { cpuRequest: '10m', memoryRequest: '48Mi', memoryLimit: '128Mi' },
  },
  nodeExporter: {
    resources: { cpuRequest: '10m', memoryRequest: '24Mi', memoryLimit: '64Mi' },
  },
  mimir: {
    retention: '7d',
    storageSize: '10Gi',
    resources: { cpuRequest: '200m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
    // What 2Gi holds beside Mimir's other modules (2.5 GB per 300k series); a small cluster has ~50k.
    maxGlobalSeriesPerUser: 150_000,
  },
  loki: {
    retention: '7d',
    storageSize: '5Gi',
    resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  },
  tempo: {
    retention: '3d',
    storageSize: '5Gi',
    resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  },
  grafana: {
    resources: { cpuRequest: '50m', memoryRequest: '192Mi', memoryLimit: '512Mi' },
  },
  alloy: {
    nodeAgentResources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
    collectorResources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
  },
  pyroscope: {
    retention: '3d',
    storageSize: '5Gi',
    resources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
  },
};
