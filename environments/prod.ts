import { StackConfig } from '../lib/config/stack-config';

/**
 * Production: two Prometheus replicas spread across zones and nodes, PodDisruptionBudgets, and a
 * local retention that covers an outage of the long-term store. The storage backends still run
 * as single binaries on volumes here: their scalable, object-storage topology is next (issue #4).
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
  mimir: {
    retention: '395d',
    storageSize: '200Gi',
    resources: { cpuRequest: '2', memoryRequest: '8Gi', memoryLimit: '16Gi' },
    ingestionRate: 200_000,
    ingestionBurstSize: 2_000_000,
    maxGlobalSeriesPerUser: 3_000_000,
  },
  loki: {
    retention: '90d',
    storageSize: '200Gi',
    resources: { cpuRequest: '1', memoryRequest: '4Gi', memoryLimit: '8Gi' },
    ingestionRateMb: 32,
    ingestionBurstSizeMb: 64,
    maxGlobalStreamsPerUser: 50_000,
  },
  tempo: {
    retention: '14d',
    storageSize: '100Gi',
    resources: { cpuRequest: '1', memoryRequest: '4Gi', memoryLimit: '8Gi' },
  },
  pyroscope: {
    retention: '30d',
    storageSize: '50Gi',
    resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' },
  },
};
