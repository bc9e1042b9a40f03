import { StackConfig } from '../lib/config/stack-config';

/**
 * Production: two Prometheus replicas spread across zones and nodes, PodDisruptionBudgets, and a
 * local retention that covers an outage of the long-term store.
 */
export const prod: StackConfig = {
  environment: 'prod',
  clusterName: 'prod',
  highAvailability: true,
  prometheus: {
    replicas: 2,
    retention: '3d',
    retentionSize: '45GB',
    storageSize: '50Gi',
    resources: { cpuRequest: '1', memoryRequest: '4Gi', memoryLimit: '8Gi' },
  },
  prometheusOperator: {
    resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
  },
  kubeStateMetrics: {
    resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  },
  nodeExporter: {
    resources: { cpuRequest: '50m', memoryRequest: '48Mi', memoryLimit: '128Mi' },
  },
};
