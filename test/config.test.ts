import { dev } from '../environments/dev';
import { prod } from '../environments/prod';
import { StackConfig } from '../lib/config/stack-config';
import { ConfigError, resolveStackConfig } from '../lib/config/validate';

/** The message of the ConfigError that `config` raises. */
function problemsOf(config: StackConfig): string {
  try {
    resolveStackConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped environments are valid', () => {
  test.each([dev, prod])('$environment', (config) => {
    expect(() => resolveStackConfig(config)).not.toThrow();
  });

  test('prod is highly available and dev is not', () => {
    expect(resolveStackConfig(prod).highAvailability).toBe(true);
    expect(resolveStackConfig(prod).prometheus.replicas).toBeGreaterThanOrEqual(2);
    expect(resolveStackConfig(dev).highAvailability).toBe(false);
  });

  test('defaults fill what an environment leaves out', () => {
    const resolved = resolveStackConfig({ environment: 'minimal', clusterName: 'c1' });
    expect(resolved.namespace).toBe('observability');
    expect(resolved.nodeAgentNamespace).toBe('observability-node-agents');
    expect(resolved.tenant).toBe('platform');
    expect(resolved.opencost.enabled).toBe(true);
    // Component settings stay as written: each construct applies its own defaults, once.
    expect(resolved.prometheus).toEqual({});
  });
});

describe('every bad value stops synth with the setting, the value and what is allowed', () => {
  const base: StackConfig = { environment: 'test', clusterName: 'c1' };
  test.each<[string, StackConfig, RegExp]>([
    ['environment name', { ...base, environment: 'Prod_1' }, /environment is "Prod_1"; allowed: a DNS label/],
    ['cluster name', { ...base, clusterName: 'my cluster' }, /clusterName is "my cluster"; allowed: a label value/],
    ['namespace', { ...base, namespace: 'Observability' }, /namespace is "Observability"; allowed: a DNS label/],
    ['reserved namespace', { ...base, namespace: 'kube-system' }, /namespace is "kube-system"; allowed: a namespace of the stack's own/],
    ['node agents sharing the namespace', { ...base, namespace: 'obs', nodeAgentNamespace: 'obs' }, /nodeAgentNamespace is "obs"; allowed: a namespace other than 'namespace'/],
    ['replicas', { ...base, prometheus: { replicas: 0 } }, /prometheus\.replicas is 0; allowed: an integer from 1 to 10/],
    ['fractional replicas', { ...base, prometheus: { replicas: 1.5 } }, /prometheus\.replicas is 1\.5; allowed: an integer/],
    ['HA with one replica', { ...base, highAvailability: true, prometheus: { replicas: 1 } }, /prometheus\.replicas is 1; allowed: at least 2 when highAvailability is true/],
    ['retention', { ...base, prometheus: { retention: '30x' } }, /prometheus\.retention is "30x"; allowed: a non-zero Prometheus duration/],
    ['zero retention', { ...base, prometheus: { retention: '0d' } }, /prometheus\.retention is "0d"/],
    ['retention size', { ...base, prometheus: { retentionSize: '8G' } }, /prometheus\.retentionSize is "8G"; allowed: a Prometheus byte size/],
    ['retention size larger than the volume', { ...base, prometheus: { retentionSize: '10GB', storageSize: '10Gi' } }, /prometheus\.retentionSize is "10GB"; allowed: at most 90% of prometheus\.storageSize \(10Gi\)/],
    ['storage size', { ...base, prometheus: { storageSize: 'ten gigs' } }, /prometheus\.storageSize is "ten gigs"; allowed: a memory quantity/],
    ['storage class', { ...base, prometheus: { storageClassName: 'Fast SSD' } }, /prometheus\.storageClassName is "Fast SSD"; allowed: a DNS subdomain/],
    ['scrape interval', { ...base, prometheus: { scrapeInterval: '30' } }, /prometheus\.scrapeInterval is "30"; allowed: a non-zero Prometheus duration/],
    ['evaluation interval', { ...base, prometheus: { evaluationInterval: '0s' } }, /prometheus\.evaluationInterval is "0s"/],
    ['cpu request', { ...base, prometheus: { resources: { cpuRequest: 'lots', memoryRequest: '1Gi', memoryLimit: '2Gi' } } }, /prometheus\.resources\.cpuRequest is "lots"; allowed: a CPU quantity/],
    ['memory limit below request', { ...base, prometheus: { resources: { cpuRequest: '1', memoryRequest: '2Gi', memoryLimit: '1Gi' } } }, /prometheus\.resources\.memoryLimit is "1Gi"; allowed: at least memoryRequest \(2Gi\)/],
    ['cpu limit below request', { ...base, kubeStateMetrics: { resources: { cpuRequest: '1', memoryRequest: '1Gi', memoryLimit: '1Gi', cpuLimit: '500m' } } }, /kubeStateMetrics\.resources\.cpuLimit is "500m"; allowed: at least cpuRequest \(1\)/],
    ['node exporter memory', { ...base, nodeExporter: { resources: { cpuRequest: '10m', memoryRequest: '0', memoryLimit: '64Mi' } } }, /nodeExporter\.resources\.memoryRequest is "0"/],
    ['tenant', { ...base, tenant: 'my tenant' }, /tenant is "my tenant"; allowed: a tenant ID/],
    ['log retention', { ...base, loki: { retention: '1 month' } }, /loki\.retention is "1 month"; allowed: whole days or hours/],
    ['trace retention in minutes', { ...base, tempo: { retention: '90m' } }, /tempo\.retention is "90m"/],
    ['profile storage', { ...base, pyroscope: { storageSize: 'big' } }, /pyroscope\.storageSize is "big"/],
    ['log storage class', { ...base, loki: { storageClassName: 'SSD' } }, /loki\.storageClassName is "SSD"; allowed: a DNS subdomain/],
    ['log ingestion rate', { ...base, loki: { ingestionRateMb: 0 } }, /loki\.ingestionRateMb is 0; allowed: a number above 0/],
    ['stream limit', { ...base, loki: { maxGlobalStreamsPerUser: 10.5 } }, /loki\.maxGlobalStreamsPerUser is 10\.5; allowed: a whole number above 0/],
    ['trace burst', { ...base, tempo: { ingestionBurstSizeBytes: -1 } }, /tempo\.ingestionBurstSizeBytes is -1/],
    ['backend resources', { ...base, tempo: { resources: { cpuRequest: '1', memoryRequest: '2Gi', memoryLimit: '1Gi' } } }, /tempo\.resources\.memoryLimit is "1Gi"/],
    ['deployment mode', { ...base, loki: { mode: 'distributed' as never } }, /loki\.mode is "distributed"; allowed: monolithic, scalable/],
    ['scalable without object storage', { ...base, loki: { mode: 'scalable' } }, /loki\.mode is "scalable"; allowed: "scalable" only with 'objectStorage' set/],
    ['scalable without its bucket', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't' } }, loki: { mode: 'scalable' } }, /objectStorage\.buckets\.logs is undefined; allowed: a bucket name: loki\.mode is "scalable"/],
    ['object storage provider', { ...base, objectStorage: { provider: 'ftp' as never, buckets: {} } as never }, /objectStorage\.provider is "ftp"; allowed: s3, gcs, azure/],
    ['S3 endpoint with a scheme', { ...base, objectStorage: { provider: 's3', endpoint: 'https://s3.amazonaws.com', buckets: {} } }, /objectStorage\.endpoint is "https:\/\/s3\.amazonaws\.com"; allowed: the S3 API host\[:port\] without scheme/],
    ['Azure account', { ...base, objectStorage: { provider: 'azure', accountName: 'My_Account', buckets: {} } }, /objectStorage\.accountName is "My_Account"/],
    ['bucket name', { ...base, objectStorage: { provider: 'gcs', buckets: { logs: 'Logs_Bucket' } } }, /objectStorage\.buckets\.logs is "Logs_Bucket"; allowed: a bucket name/],
    ['shared bucket', { ...base, objectStorage: { provider: 'gcs', buckets: { logs: 'b1', traces: 'b1' } } }, /objectStorage\.buckets is "b1"; allowed: a different bucket per kind of data/],
    ['credentials secret name', { ...base, objectStorage: { provider: 'gcs', buckets: {}, credentialsSecret: 'My Secret' } }, /objectStorage\.credentialsSecret is "My Secret"/],
    ['unknown component', { ...base, objectStorage: { provider: 'gcs', buckets: { logs: 'l1' } }, loki: { mode: 'scalable', components: { ruler: { replicas: 1 } } as never } }, /loki\.components\.ruler is "ruler"; allowed: one of distributor/],
    ['too few ingesters', { ...base, objectStorage: { provider: 'gcs', buckets: { logs: 'l1' } }, loki: { mode: 'scalable', components: { ingester: { replicas: 2 } } } }, /loki\.components\.ingester\.replicas is 2; allowed: at least 3/],
    ['two compactors', { ...base, objectStorage: { provider: 'gcs', buckets: { logs: 'l1' } }, loki: { mode: 'scalable', components: { compactor: { replicas: 2 } } } }, /loki\.components\.compactor\.replicas is 2; allowed: exactly 1/],
    ['tempo scalable without kafka', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't1' } }, tempo: { mode: 'scalable' } }, /tempo\.mode is "scalable"; allowed: "scalable" only with 'kafka' set/],
    ['kafka address', { ...base, kafka: { address: 'kafka:9092,kafka2:9092', topics: {}, partitions: {} } }, /kafka\.address is "kafka:9092,kafka2:9092"; allowed: one bootstrap address as host:port/],
    ['kafka partitions', { ...base, kafka: { address: 'kafka:9092', topics: {}, partitions: { traces: 0 } } }, /kafka\.partitions\.traces is 0; allowed: an integer from 1/],
    ['kafka topic', { ...base, kafka: { address: 'kafka:9092', topics: { traces: 'my topic' }, partitions: {} } }, /kafka\.topics\.traces is "my topic"/],
    ['traces topic missing', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't1' } }, kafka: { address: 'kafka:9092', topics: {}, partitions: { traces: 4 } }, tempo: { mode: 'scalable' } }, /kafka\.topics\.traces is undefined; allowed: a topic name: tempo\.mode is "scalable"/],
    ['block-builders not dividing partitions', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't1' } }, kafka: { address: 'kafka:9092', topics: { traces: 't' }, partitions: { traces: 4 } }, tempo: { mode: 'scalable', components: { 'block-builder': { replicas: 3 } } } }, /tempo\.components\.block-builder\.replicas is 3; allowed: a divisor of kafka\.partitions\.traces \(4\)/],
    ['live-stores not matching partitions', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't1' } }, kafka: { address: 'kafka:9092', topics: { traces: 't' }, partitions: { traces: 4 } }, tempo: { mode: 'scalable', components: { 'live-store': { replicas: 2 } } } }, /tempo\.components\.live-store\.replicas is 2; allowed: exactly kafka\.partitions\.traces \(4\)/],
    ['two backend schedulers', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't1' } }, kafka: { address: 'kafka:9092', topics: { traces: 't' }, partitions: { traces: 4 } }, tempo: { mode: 'scalable', components: { 'backend-scheduler': { replicas: 2 } } } }, /tempo\.components\.backend-scheduler\.replicas is 2; allowed: exactly 1/],
    ['GCS key file for tempo', { ...base, objectStorage: { provider: 'gcs', buckets: { traces: 't1' }, credentialsSecret: 'gcs' }, kafka: { address: 'kafka:9092', topics: { traces: 't' }, partitions: { traces: 4 } }, tempo: { mode: 'scalable' } }, /objectStorage\.credentialsSecret is "gcs"; allowed: none with provider gcs while tempo\.mode is "scalable"/],
    ['mimir scalable without kafka', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { metrics: 'm1', metricsRuler: 'm2', metricsAlertmanager: 'm3' } }, mimir: { mode: 'scalable' } }, /mimir\.mode is "scalable"; allowed: "scalable" only with 'kafka' set/],
    ['mimir without a ruler bucket', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { metrics: 'm1' } }, kafka: { address: 'k:9092', topics: { metrics: 'm' }, partitions: { metrics: 3 } }, mimir: { mode: 'scalable' } }, /objectStorage\.buckets\.metricsRuler is undefined; allowed: a bucket name: mimir\.mode is "scalable"/],
    ['mimir ingesters not matching partitions', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { metrics: 'm1', metricsRuler: 'm2', metricsAlertmanager: 'm3' } }, kafka: { address: 'k:9092', topics: { metrics: 'm' }, partitions: { metrics: 3 } }, mimir: { mode: 'scalable', components: { ingester: { replicas: 4 } } } }, /mimir\.components\.ingester\.replicas is 4; allowed: exactly kafka\.partitions\.metrics \(3\)/],
    ['too few store-gateways', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { metrics: 'm1', metricsRuler: 'm2', metricsAlertmanager: 'm3' } }, kafka: { address: 'k:9092', topics: { metrics: 'm' }, partitions: { metrics: 3 } }, mimir: { mode: 'scalable', components: { 'store-gateway': { replicas: 2 } } } }, /mimir\.components\.store-gateway\.replicas is 2; allowed: at least 3/],
    ['pyroscope scalable without object storage', { ...base, pyroscope: { mode: 'scalable' } }, /pyroscope\.mode is "scalable"; allowed: "scalable" only with 'objectStorage' set/],
    ['even metastore group', { ...base, objectStorage: { provider: 'gcs', buckets: { profiles: 'p1' } }, pyroscope: { mode: 'scalable', components: { metastore: { replicas: 4 } } } }, /pyroscope\.components\.metastore\.replicas is 4; allowed: an odd number/],
    ['cluster domain', { ...base, clusterDomain: 'Cluster Local' }, /clusterDomain is "Cluster Local"; allowed: a DNS domain/],
    ['kafka TLS for tempo', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't1' } }, kafka: { address: 'kafka:9093', topics: { traces: 't' }, partitions: { traces: 4 }, tls: {} }, tempo: { mode: 'scalable' } }, /kafka\.tls is \{\}; allowed: unset while tempo\.mode is "scalable"/],
    ['kafka CA secret name', { ...base, kafka: { address: 'kafka:9093', topics: {}, partitions: {}, tls: { caSecret: 'CA!' } } }, /kafka\.tls\.caSecret is "CA!"/],
    ['grafana root URL', { ...base, grafana: { rootUrl: 'grafana.example.com' } }, /grafana\.rootUrl is "grafana\.example\.com"; allowed: an absolute http\(s\) URL/],
    ['grafana SSO issuer', { ...base, grafana: { rootUrl: 'https://g.example.com', sso: { issuerUrl: 'http://sso.example.com/realms/r', clientId: 'g', clientSecretSecret: 's', roleMapping: { Viewer: ['v'] } } } }, /grafana\.sso\.issuerUrl is "http:\/\/sso\.example\.com\/realms\/r"; allowed: the realm's issuer URL over HTTPS/],
    ['grafana SSO role', { ...base, grafana: { rootUrl: 'https://g.example.com', sso: { issuerUrl: 'https://sso.example.com/realms/r', clientId: 'g', clientSecretSecret: 's', roleMapping: { Owner: ['o'] } as never } } }, /grafana\.sso\.roleMapping\.Owner is "Owner"; allowed: GrafanaAdmin, Admin, Editor, Viewer/],
    ['grafana SSO without mapping', { ...base, grafana: { rootUrl: 'https://g.example.com', sso: { issuerUrl: 'https://sso.example.com/realms/r', clientId: 'g', clientSecretSecret: 's', roleMapping: {} } } }, /grafana\.sso\.roleMapping is \{\}; allowed: at least one Keycloak role/],
    ['grafana SSO without a URL', { ...base, grafana: { sso: { issuerUrl: 'https://sso.example.com/realms/r', clientId: 'g', clientSecretSecret: 's', roleMapping: { Viewer: ['v'] } } } }, /grafana\.rootUrl is undefined; allowed: the URL users open Grafana at/],
    ['opencost provider', { ...base, opencost: { pricing: { provider: 'oracle' } as never } }, /opencost\.pricing\.provider is "oracle"; allowed: aws, gcp, azure, custom/],
    ['opencost CPU price', { ...base, opencost: { pricing: { provider: 'custom', cpuCoreHour: -1, ramGibHour: 0.01, storageGibMonth: 0.1 } } }, /opencost\.pricing\.cpuCoreHour is -1; allowed: a price per CPU core-hour: a number above 0/],
    ['opencost RAM price', { ...base, opencost: { pricing: { provider: 'custom', cpuCoreHour: 0.03, ramGibHour: Number.NaN, storageGibMonth: 0.1 } } }, /opencost\.pricing\.ramGibHour is .*; allowed: a price per GiB-hour of memory/],
    ['opencost storage price', { ...base, opencost: { pricing: { provider: 'custom', cpuCoreHour: 0.03, ramGibHour: 0.01, storageGibMonth: '0.1' as never } } }, /opencost\.pricing\.storageGibMonth is "0\.1"; allowed: a price per GiB-month of storage: a number of 0 or more/],
    ['opencost currency', { ...base, opencost: { pricing: { provider: 'custom', cpuCoreHour: 0.03, ramGibHour: 0.01, storageGibMonth: 0.1, currency: 'euro' } } }, /opencost\.pricing\.currency is "euro"; allowed: an ISO 4217 code/],
    ['opencost on GCP without a key', { ...base, opencost: { pricing: { provider: 'gcp' } } }, /opencost\.pricing\.credentialsSecret is undefined; allowed: a Secret with the key api-key/],
    ['grafana ingress host', { ...base, grafana: { ingress: { host: 'Grafana Host' } } }, /grafana\.ingress\.host is "Grafana Host"/],
    ['log level', { ...base, prometheusOperator: { logLevel: 'verbose' as never } }, /prometheusOperator\.logLevel is "verbose"; allowed: debug, info, warn, error/],
    ['no zones', { ...base, cluster: { zones: [], nodesPerZone: 1, nodeCpu: '4', nodeMemory: '8Gi' } }, /cluster\.zones is \[\]; allowed: the availability zones of the nodes/],
    ['a zone twice', { ...base, cluster: { zones: ['a', 'a'], nodesPerZone: 1, nodeCpu: '4', nodeMemory: '8Gi' } }, /cluster\.zones is "a"; allowed: each zone once/],
    ['HA on one zone', { ...base, highAvailability: true, prometheus: { replicas: 2 }, alloy: { collectorReplicas: 2 }, cluster: { zones: ['a'], nodesPerZone: 3, nodeCpu: '4', nodeMemory: '8Gi' } }, /cluster\.zones is \["a"\]; allowed: at least 2 zones when highAvailability is true/],
    ['node CPU', { ...base, cluster: { zones: ['a'], nodesPerZone: 1, nodeCpu: 'four', nodeMemory: '8Gi' } }, /cluster\.nodeCpu is "four"; allowed: a CPU quantity/],
    ['nodes per zone', { ...base, cluster: { zones: ['a'], nodesPerZone: 0, nodeCpu: '4', nodeMemory: '8Gi' } }, /cluster\.nodesPerZone is 0; allowed: an integer from 1 to 1000/],
    ['kafka SASL mechanism', { ...base, kafka: { address: 'kafka:9092', topics: {}, partitions: {}, saslMechanism: 'GSSAPI' as never } }, /kafka\.saslMechanism is "GSSAPI"; allowed: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512/],
    ['SCRAM for tempo', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { traces: 't1' } }, kafka: { address: 'kafka:9092', topics: { traces: 't' }, partitions: { traces: 4 }, saslSecret: 'k', saslMechanism: 'SCRAM-SHA-512' }, tempo: { mode: 'scalable' } }, /kafka\.saslMechanism is "SCRAM-SHA-512"; allowed: "PLAIN" while tempo\.mode is "scalable"/],
    ['exemplar limit', { ...base, mimir: { maxGlobalExemplarsPerUser: 0 } }, /mimir\.maxGlobalExemplarsPerUser is 0; allowed: a whole number above 0/],
    ['pyroscope on another cluster domain', { ...base, clusterDomain: 'corp.internal', objectStorage: { provider: 'gcs', buckets: { profiles: 'p1' } }, pyroscope: { mode: 'scalable' } }, /clusterDomain is "corp\.internal"; allowed: "cluster\.local" while pyroscope\.mode is "scalable"/],
    ['more series than a single-binary Mimir holds', { ...base, mimir: { maxGlobalSeriesPerUser: 400_000, resources: { cpuRequest: '1', memoryRequest: '2Gi', memoryLimit: '2Gi' } } }, /mimir\.maxGlobalSeriesPerUser is 400000; allowed: at most 193273 in a single binary of 2Gi \(Mimir's planning guide/],
    ['more series than the ingesters hold', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { metrics: 'm1', metricsRuler: 'm2', metricsAlertmanager: 'm3' } }, kafka: { address: 'k:9092', topics: { metrics: 'm' }, partitions: { metrics: 2 } }, mimir: { mode: 'scalable', maxGlobalSeriesPerUser: 3_000_000 } }, /mimir\.maxGlobalSeriesPerUser is 3000000; allowed: at most 2061584 with 2 ingesters per zone of 8Gi/],
    ['a rate the distributors cannot take', { ...base, objectStorage: { provider: 's3', endpoint: 's3.amazonaws.com', buckets: { metrics: 'm1', metricsRuler: 'm2', metricsAlertmanager: 'm3' } }, kafka: { address: 'k:9092', topics: { metrics: 'm' }, partitions: { metrics: 2 } }, mimir: { mode: 'scalable', ingestionRate: 1_000_000 } }, /mimir\.ingestionRate is 1000000; allowed: at most 322122 samples\/s with 3 distributors of 4Gi/],
    ['HA with one collector', { ...base, highAvailability: true, prometheus: { replicas: 2 }, alloy: { collectorReplicas: 1 } }, /alloy\.collectorReplicas is 1; allowed: at least 2 when highAvailability is true/],
    ['grafana storage class', { ...base, grafana: { storageClassName: 'Fast SSD' } }, /grafana\.storageClassName is "Fast SSD"; allowed: a DNS subdomain/],
    ['collector volume', { ...base, alloy: { collectorStorageSize: 'lots' } }, /alloy\.collectorStorageSize is "lots"; allowed: a memory quantity/],
  ])('%s', (_, config, message) => {
    expect(problemsOf(config)).toMatch(message);
  });

  test('every problem is reported at once, with the file to edit', () => {
    const message = problemsOf({ environment: 'test', clusterName: 'c1', prometheus: { replicas: 0, retention: 'x' } });
    expect(message).toMatch(/environments\/test\.ts/);
    expect(message).toMatch(/prometheus\.replicas/);
    expect(message).toMatch(/prometheus\.retention/);
  });
});
