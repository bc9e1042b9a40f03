import { StackConfig } from '../lib/config/stack-config';

/**
 * Production: two Prometheus replicas spread across zones and nodes, PodDisruptionBudgets, and a
 * local retention that covers an outage of the long-term store. Every backend runs scalable on S3,
 * Mimir and Tempo through Kafka.
 */
export const prod: StackConfig = {
  environment: 'prod',
  clusterName: 'prod',
  highAvailability: true,
  // The smallest cluster this environment is for: the scheduling test places every pod on it
  // (about 65% of its CPU is requested) and proves each node or zone can be lost.
  cluster: { zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], nodesPerZone: 2, nodeCpu: '16', nodeMemory: '64Gi' },
  objectStorage: {
    provider: 's3',
    endpoint: 's3.eu-west-1.amazonaws.com',
    region: 'eu-west-1',
    buckets: {
      metrics: 'acme-prod-metrics',
      metricsRuler: 'acme-prod-metrics-ruler',
      metricsAlertmanager: 'acme-prod-metrics-alertmanager',
      logs: 'acme-prod-logs',
      traces: 'acme-prod-traces',
      profiles: 'acme-prod-profiles',
    },
    // Created by the platform team (keys AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); drop this
    // line to use the pods' cloud identity (IRSA) instead.
    credentialsSecret: 'object-storage-credentials',
  },
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
    mode: 'scalable',
    retention: '395d',
    // Per ingester, store-gateway, compactor and Alertmanager: TSDB head and caches; blocks live in the bucket.
    storageSize: '100Gi',
    ingestionRate: 200_000,
    ingestionBurstSize: 2_000_000,
    maxGlobalSeriesPerUser: 3_000_000,
    // Mimir's planning guide, with the rates above: 200k samples/s need 8 cores and 8 GB of
    // distributors; 3M series over 6 partitions are 500k per ingester (1.7 cores, 4.2 GB).
    components: {
      distributor: { replicas: 3, resources: { cpuRequest: '3', memoryRequest: '3Gi', memoryLimit: '4Gi' } },
      ingester: { resources: { cpuRequest: '2', memoryRequest: '5Gi', memoryLimit: '8Gi' } },
    },
  },
  loki: {
    mode: 'scalable',
    retention: '90d',
    // Per ingester, index gateway and compactor: WAL and caches; the data lives in the bucket.
    storageSize: '50Gi',
    ingestionRateMb: 32,
    ingestionBurstSizeMb: 64,
    maxGlobalStreamsPerUser: 50_000,
  },
  kafka: {
    address: 'observability-kafka-bootstrap.kafka.svc:9092',
    topics: { traces: 'tempo-traces', metrics: 'mimir-metrics' },
    partitions: { traces: 6, metrics: 6 },
    // Keys KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD.
    saslSecret: 'kafka-credentials',
  },
  tempo: {
    mode: 'scalable',
    retention: '14d',
    // Per live-store, scheduler and metrics-generator: WAL only; blocks live in the bucket.
    storageSize: '20Gi',
    components: { 'block-builder': { replicas: 3 } },
  },
  grafana: {
    ingress: { host: 'grafana.prod.example.com', tlsSecretName: 'grafana-tls' },
    sso: {
      issuerUrl: 'https://sso.example.com/realms/platform',
      clientId: 'grafana',
      // Key client-secret.
      clientSecretSecret: 'grafana-oidc',
      roleMapping: {
        GrafanaAdmin: ['platform-admin'],
        Admin: ['grafana-admin'],
        Editor: ['grafana-editor'],
        Viewer: ['grafana-viewer'],
      },
    },
    storageSize: '10Gi',
    resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
  },
  // List prices from AWS's public price API; add credentialsSecret for your account's own prices.
  opencost: { pricing: { provider: 'aws' } },
  alloy: {
    nodeAgentResources: { cpuRequest: '200m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
    collectorReplicas: 3,
    collectorResources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' },
  },
  pyroscope: {
    mode: 'scalable',
    retention: '30d',
    // Per segment writer and metastore: buffers and the Raft log; profiles live in the bucket.
    storageSize: '20Gi',
  },
};
