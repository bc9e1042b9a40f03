import { RETENTION } from '../common/durations';
import { BucketNames, OBJECT_STORAGE_PROVIDERS, ObjectStorage } from '../common/object-storage';
import { DEPLOYMENT_MODES } from '../common/single-binary';
import { KAFKA_SASL_MECHANISMS, KafkaSettings } from '../common/kafka';
import { LOKI_TARGETS } from '../loki/loki';
import { MIMIR_DEFAULTS, MIMIR_TARGETS } from '../mimir/mimir';
import { MIMIR_MONOLITHIC_BASE_BYTES, mimirDistributorRateCapacity, mimirIngesterSeriesCapacity } from '../sizing/capacity';
import { PYROSCOPE_TARGETS } from '../pyroscope/pyroscope';
import { TEMPO_TARGETS } from '../tempo/tempo';
import { GRAFANA_ROLES } from '../grafana/grafana';
import { CLOUD_PROVIDERS, CustomPricing } from '../opencost/opencost';
import { parseQuantity, ResourceSpec } from '../common/resources';
import { applyDefaults, LOG_LEVELS, MimirSettings, ResolvedStackConfig, StackConfig } from './stack-config';

/** Thrown when an environment's configuration is invalid; lists every problem at once. */
export class ConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid configuration for environment "${environment}" (environments/${environment}.ts):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Prometheus duration, as the Prometheus CRD of prometheus-operator v0.93.1 validates it. */
const PROMETHEUS_DURATION = /^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$/;
/** Prometheus byte size, as the same CRD validates `retentionSize`. */
const PROMETHEUS_BYTE_SIZE = /(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$/;
const PROMETHEUS_BYTE_UNITS: Record<string, number> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60 };

/** Bytes of a Prometheus size such as "512MB" (powers of 1024, as Prometheus reads them). */
function parsePrometheusBytes(size: string): number | undefined {
  const match = /^([0-9]*\.?[0-9]+)([KMGTPE]i?)?B$/.exec(size);
  if (!match) return size === '0' ? 0 : undefined;
  return Number(match[1]) * PROMETHEUS_BYTE_UNITS[`${(match[2] ?? '').replace('i', '')}B`];
}

/** Tenant IDs as Grafana's backends accept them (Mimir/Loki/Tempo tenant ID rules). */
const TENANT_ID = /^[A-Za-z0-9!_.*'()-]{1,150}$/;
const HOST_PORT = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$/;
const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

class Problems {
  readonly list: string[] = [];

  add(setting: string, value: unknown, allowed: string): void {
    this.list.push(`${setting} is ${JSON.stringify(value)}; allowed: ${allowed}`);
  }

  dnsLabel(setting: string, value: string): void {
    if (!DNS_LABEL.test(value) || value.length > 63) {
      this.add(setting, value, 'a DNS label: lowercase letters, digits and "-", at most 63 characters');
    }
  }

  duration(setting: string, value: string, allowZero = false): void {
    if (!PROMETHEUS_DURATION.test(value) || value === '' || (!allowZero && /^0+[a-z]*$/.test(value))) {
      this.add(setting, value, `a ${allowZero ? '' : 'non-zero '}Prometheus duration such as "30s", "15d" or "1h30m"`);
    }
  }

  integer(setting: string, value: number, min: number, max: number): void {
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(setting, value, `an integer from ${min} to ${max}`);
    }
  }

  positiveQuantity(setting: string, value: string, kind: 'cpu' | 'memory'): number | undefined {
    const parsed = parseQuantity(value);
    if (parsed === undefined || parsed <= 0) {
      this.add(setting, value, kind === 'cpu' ? 'a CPU quantity such as "100m" or "1.5"' : 'a memory quantity such as "256Mi" or "2Gi"');
      return undefined;
    }
    return parsed;
  }

  positiveNumber(setting: string, value: number | undefined, integer: boolean): void {
    if (value === undefined) return;
    if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      this.add(setting, value, integer ? 'a whole number above 0' : 'a number above 0');
    }
  }

  retention(setting: string, value: string | undefined): void {
    if (value !== undefined && !RETENTION.test(value)) this.add(setting, value, 'whole days or hours, such as "30d" or "336h"');
  }

  /** The settings every storage backend shares. */
  backend(prefix: string, settings: { retention?: string; storageSize?: string; storageClassName?: string; resources?: ResourceSpec }): void {
    this.retention(`${prefix}.retention`, settings.retention);
    if (settings.storageSize !== undefined) this.positiveQuantity(`${prefix}.storageSize`, settings.storageSize, 'memory');
    if (settings.storageClassName !== undefined) this.storageClass(`${prefix}.storageClassName`, settings.storageClassName);
    if (settings.resources !== undefined) this.resources(`${prefix}.resources`, settings.resources);
  }

  /** `mode`, and for `scalable` the object storage bucket it needs. */
  mode(prefix: string, mode: string | undefined, storage: ObjectStorage | undefined, bucket: keyof BucketNames): boolean {
    if (mode === undefined || mode === 'monolithic') return false;
    if (!DEPLOYMENT_MODES.includes(mode as never)) {
      this.add(`${prefix}.mode`, mode, DEPLOYMENT_MODES.join(', '));
      return false;
    }
    if (!storage) {
      this.add(`${prefix}.mode`, mode, "\"scalable\" only with 'objectStorage' set (provider, endpoint, buckets); otherwise \"monolithic\"");
    } else if (!storage.buckets?.[bucket]) {
      this.add(`objectStorage.buckets.${bucket}`, storage.buckets?.[bucket], `a bucket name: ${prefix}.mode is "scalable"`);
    }
    return true;
  }

  components(prefix: string, components: Record<string, { replicas?: number; resources?: ResourceSpec } | undefined> | undefined, known: readonly string[]): void {
    for (const [target, settings] of Object.entries(components ?? {})) {
      if (!known.includes(target)) {
        this.add(`${prefix}.components.${target}`, target, `one of ${known.join(', ')}`);
        continue;
      }
      if (settings?.replicas !== undefined) this.integer(`${prefix}.components.${target}.replicas`, settings.replicas, 1, 100);
      if (settings?.resources !== undefined) this.resources(`${prefix}.components.${target}.resources`, settings.resources);
    }
  }

  objectStorage(storage: ObjectStorage): void {
    if (!OBJECT_STORAGE_PROVIDERS.includes(storage.provider)) {
      this.add('objectStorage.provider', storage.provider, OBJECT_STORAGE_PROVIDERS.join(', '));
      return;
    }
    if (storage.provider === 's3' && (!storage.endpoint || /^[a-z]+:\/\//.test(storage.endpoint) || storage.endpoint.includes('/'))) {
      this.add('objectStorage.endpoint', storage.endpoint, 'the S3 API host[:port] without scheme or path, e.g. "s3.eu-west-1.amazonaws.com"');
    }
    if (storage.provider === 'azure' && !/^[a-z0-9]{3,24}$/.test(storage.accountName ?? '')) {
      this.add('objectStorage.accountName', storage.accountName, 'an Azure storage account name: 3 to 24 lowercase letters and digits');
    }
    for (const [kind, bucket] of Object.entries(storage.buckets ?? {})) {
      if (bucket !== undefined && !BUCKET.test(bucket)) this.add(`objectStorage.buckets.${kind}`, bucket, 'a bucket name: 3 to 63 lowercase letters, digits, "-" and "."');
    }
    const buckets = Object.values(storage.buckets ?? {}).filter((b) => b !== undefined);
    const shared = buckets.find((b, i) => buckets.indexOf(b) !== i);
    if (shared) this.add('objectStorage.buckets', shared, 'a different bucket per kind of data: backends that share one overwrite each other');
    if (storage.credentialsSecret !== undefined && !DNS_SUBDOMAIN.test(storage.credentialsSecret)) {
      this.add('objectStorage.credentialsSecret', storage.credentialsSecret, 'the name of a Secret in the stack namespace (a DNS subdomain)');
    }
  }

  kafka(kafka: KafkaSettings): void {
    if (!HOST_PORT.test(kafka.address ?? '')) {
      this.add('kafka.address', kafka.address, 'one bootstrap address as host:port, e.g. "kafka-bootstrap.kafka.svc:9092"');
    }
    for (const [signal, partitions] of Object.entries(kafka.partitions ?? {})) {
      if (partitions !== undefined) this.integer(`kafka.partitions.${signal}`, partitions, 1, 10000);
    }
    for (const [signal, topic] of Object.entries(kafka.topics ?? {})) {
      if (topic !== undefined && !KAFKA_TOPIC.test(topic)) this.add(`kafka.topics.${signal}`, topic, 'a Kafka topic name: letters, digits, ".", "_" and "-"');
    }
    if (kafka.saslMechanism !== undefined && !KAFKA_SASL_MECHANISMS.includes(kafka.saslMechanism)) {
      this.add('kafka.saslMechanism', kafka.saslMechanism, KAFKA_SASL_MECHANISMS.join(', '));
    }
    if (kafka.saslSecret !== undefined && !DNS_SUBDOMAIN.test(kafka.saslSecret)) {
      this.add('kafka.saslSecret', kafka.saslSecret, 'the name of a Secret in the stack namespace (a DNS subdomain)');
    }
    if (kafka.tls?.caSecret !== undefined && !DNS_SUBDOMAIN.test(kafka.tls.caSecret)) {
      this.add('kafka.tls.caSecret', kafka.tls.caSecret, 'the name of a Secret in the stack namespace (a DNS subdomain)');
    }
  }

  /** The limits Mimir enforces must be reachable before its pods run out of memory. */
  mimirLimitsReachable(mimir: MimirSettings, kafka: KafkaSettings | undefined): void {
    const series = mimir.maxGlobalSeriesPerUser ?? MIMIR_DEFAULTS.maxGlobalSeriesPerUser;
    const rule = "Mimir's planning guide: an ingester needs 2.5 GB per 300,000 series";
    if (mimir.mode === 'scalable') {
      const partitions = kafka?.partitions?.metrics;
      const ingester = mimir.components?.ingester?.resources ?? MIMIR_DEFAULTS.components.ingester.resources;
      const limit = parseQuantity(ingester.memoryLimit);
      if (partitions && limit) {
        const capacity = mimirIngesterSeriesCapacity(limit) * partitions;
        if (series > capacity) {
          this.add('mimir.maxGlobalSeriesPerUser', series, `at most ${capacity} with ${partitions} ingesters per zone of ${ingester.memoryLimit} (${rule}), or raise mimir.components.ingester.resources.memoryLimit`);
        }
      }
      const rate = mimir.ingestionRate ?? MIMIR_DEFAULTS.ingestionRate;
      const distributor = mimir.components?.distributor ?? {};
      const replicas = distributor.replicas ?? MIMIR_DEFAULTS.components.distributor.replicas;
      const resources = distributor.resources ?? MIMIR_DEFAULTS.components.distributor.resources;
      const distributorLimit = parseQuantity(resources.memoryLimit);
      if (distributorLimit) {
        const capacity = mimirDistributorRateCapacity(distributorLimit) * replicas;
        if (rate > capacity) {
          this.add('mimir.ingestionRate', rate, `at most ${capacity} samples/s with ${replicas} distributors of ${resources.memoryLimit} (Mimir's planning guide: 1 GB per 25,000 samples/s), or raise mimir.components.distributor`);
        }
      }
      return;
    }
    const resources = mimir.resources ?? MIMIR_DEFAULTS.resources;
    const limit = parseQuantity(resources.memoryLimit);
    if (!limit) return;
    const capacity = mimirIngesterSeriesCapacity(limit, MIMIR_MONOLITHIC_BASE_BYTES);
    if (series > capacity) {
      this.add('mimir.maxGlobalSeriesPerUser', series, `at most ${capacity} in a single binary of ${resources.memoryLimit} (${rule}, beside the other modules), or raise mimir.resources.memoryLimit`);
    }
  }

  storageClass(setting: string, value: string): void {
    if (!DNS_SUBDOMAIN.test(value) || value.length > 253) this.add(setting, value, 'a DNS subdomain: lowercase letters, digits, "-" and "."');
  }

  resources(setting: string, spec: ResourceSpec): void {
    const cpuRequest = this.positiveQuantity(`${setting}.cpuRequest`, spec.cpuRequest, 'cpu');
    const memoryRequest = this.positiveQuantity(`${setting}.memoryRequest`, spec.memoryRequest, 'memory');
    const memoryLimit = this.positiveQuantity(`${setting}.memoryLimit`, spec.memoryLimit, 'memory');
    if (memoryRequest !== undefined && memoryLimit !== undefined && memoryLimit < memoryRequest) {
      this.add(`${setting}.memoryLimit`, spec.memoryLimit, `at least memoryRequest (${spec.memoryRequest})`);
    }
    if (spec.cpuLimit !== undefined) {
      const cpuLimit = this.positiveQuantity(`${setting}.cpuLimit`, spec.cpuLimit, 'cpu');
      if (cpuRequest !== undefined && cpuLimit !== undefined && cpuLimit < cpuRequest) {
        this.add(`${setting}.cpuLimit`, spec.cpuLimit, `at least cpuRequest (${spec.cpuRequest})`);
      }
    }
  }
}

/**
 * Applies defaults and checks every setting of one environment. Runs before any manifest is
 * built; every problem names the setting, the value and what is allowed.
 */
export function resolveStackConfig(config: StackConfig): ResolvedStackConfig {
  const p = new Problems();
  const resolved = applyDefaults(config);

  p.dnsLabel('environment', resolved.environment);
  if (!LABEL_VALUE.test(resolved.clusterName) || resolved.clusterName.length > 63) {
    p.add('clusterName', resolved.clusterName, 'a label value: letters, digits, "-", "_" and ".", at most 63 characters');
  }
  const { cluster } = resolved;
  const zones = Array.isArray(cluster.zones) ? cluster.zones : [];
  if (zones.length === 0) p.add('cluster.zones', cluster.zones, 'the availability zones of the nodes, e.g. ["eu-west-1a", "eu-west-1b"]');
  for (const [i, zone] of zones.entries()) {
    if (typeof zone !== 'string' || !LABEL_VALUE.test(zone) || zone.length > 63) p.add(`cluster.zones[${i}]`, zone, 'a label value: letters, digits, "-", "_" and ".", at most 63 characters');
  }
  const repeated = zones.find((z, i) => zones.indexOf(z) !== i);
  if (repeated !== undefined) p.add('cluster.zones', repeated, 'each zone once');
  if (resolved.highAvailability && zones.length < 2) {
    p.add('cluster.zones', cluster.zones, 'at least 2 zones when highAvailability is true: zoned components pin one zone each');
  }
  p.integer('cluster.nodesPerZone', cluster.nodesPerZone, 1, 1000);
  p.positiveQuantity('cluster.nodeCpu', cluster.nodeCpu, 'cpu');
  p.positiveQuantity('cluster.nodeMemory', cluster.nodeMemory, 'memory');
  for (const setting of ['namespace', 'nodeAgentNamespace'] as const) {
    const value = resolved[setting];
    p.dnsLabel(setting, value);
    if (RESERVED_NAMESPACES.includes(value)) {
      p.add(setting, value, `a namespace of the stack's own, not one of ${RESERVED_NAMESPACES.join(', ')}`);
    }
  }
  if (resolved.namespace === resolved.nodeAgentNamespace) {
    p.add('nodeAgentNamespace', resolved.nodeAgentNamespace,
      `a namespace other than 'namespace': node agents need the "privileged" Pod Security level, the rest of the stack runs "restricted"`);
  }

  const prom = resolved.prometheus;
  p.integer('prometheus.replicas', prom.replicas, 1, 10);
  if (resolved.highAvailability && prom.replicas < 2) {
    p.add('prometheus.replicas', prom.replicas, 'at least 2 when highAvailability is true (or set highAvailability: false)');
  }
  p.duration('prometheus.retention', prom.retention);
  if (!PROMETHEUS_BYTE_SIZE.test(prom.retentionSize)) {
    p.add('prometheus.retentionSize', prom.retentionSize, 'a Prometheus byte size such as "8GB", "512MB" or "1.5TiB"');
  }
  const storageBytes = p.positiveQuantity('prometheus.storageSize', prom.storageSize, 'memory');
  const retentionBytes = parsePrometheusBytes(prom.retentionSize);
  if (storageBytes !== undefined && retentionBytes !== undefined && retentionBytes > 0.9 * storageBytes) {
    // Prometheus counts the WAL in the size but deletes only whole blocks: leave headroom.
    p.add('prometheus.retentionSize', prom.retentionSize,
      `at most 90% of prometheus.storageSize (${prom.storageSize}); Prometheus units are powers of 1024 (1GB = 1Gi)`);
  }
  if (prom.storageClassName !== undefined) p.storageClass('prometheus.storageClassName', prom.storageClassName);
  p.duration('prometheus.scrapeInterval', prom.scrapeInterval);
  p.duration('prometheus.evaluationInterval', prom.evaluationInterval);
  p.resources('prometheus.resources', prom.resources);

  if (!LOG_LEVELS.includes(resolved.prometheusOperator.logLevel)) {
    p.add('prometheusOperator.logLevel', resolved.prometheusOperator.logLevel, LOG_LEVELS.join(', '));
  }
  p.resources('prometheusOperator.resources', resolved.prometheusOperator.resources);
  p.resources('kubeStateMetrics.resources', resolved.kubeStateMetrics.resources);
  p.resources('nodeExporter.resources', resolved.nodeExporter.resources);

  if (!TENANT_ID.test(resolved.tenant) || resolved.tenant === '.' || resolved.tenant === '..') {
    p.add('tenant', resolved.tenant, "a tenant ID: up to 150 letters, digits and !-_.*'() (not \".\" or \"..\")");
  }
  const { mimir, loki, tempo, pyroscope } = resolved;
  p.backend('mimir', mimir);
  if (p.mode('mimir', mimir.mode, resolved.objectStorage, 'metrics')) {
    p.components('mimir', mimir.components, MIMIR_TARGETS);
    for (const bucket of ['metricsRuler', 'metricsAlertmanager'] as const) {
      if (resolved.objectStorage && !resolved.objectStorage.buckets?.[bucket]) {
        p.add(`objectStorage.buckets.${bucket}`, undefined, 'a bucket name: mimir.mode is "scalable" (rules and Alertmanager state need their own)');
      }
    }
    const kafka = resolved.kafka;
    if (!kafka) {
      p.add('mimir.mode', mimir.mode, "\"scalable\" only with 'kafka' set: scalable Mimir uses Kafka ingest storage");
    } else {
      const partitions = kafka.partitions?.metrics;
      if (!kafka.topics?.metrics) p.add('kafka.topics.metrics', kafka.topics?.metrics, 'a topic name: mimir.mode is "scalable"');
      if (partitions === undefined) p.add('kafka.partitions.metrics', partitions, 'the partition count of the metrics topic: mimir.mode is "scalable"');
      const ingesters = mimir.components?.ingester?.replicas;
      if (partitions !== undefined && ingesters !== undefined && ingesters !== partitions) {
        p.add('mimir.components.ingester.replicas', ingesters, `exactly kafka.partitions.metrics (${partitions}): each ingester consumes the partition of its ordinal`);
      }
    }
    const storeGateways = mimir.components?.['store-gateway']?.replicas;
    if (storeGateways !== undefined && storeGateways < 3) {
      p.add('mimir.components.store-gateway.replicas', storeGateways, 'at least 3: every block is loaded by 3 store-gateways');
    }
    const alertmanagers = mimir.components?.alertmanager?.replicas;
    if (alertmanagers !== undefined && alertmanagers < 3) {
      p.add('mimir.components.alertmanager.replicas', alertmanagers, 'at least 3: Alertmanager state is replicated 3 times');
    }
  }
  p.positiveNumber('mimir.ingestionRate', mimir.ingestionRate, false);
  p.positiveNumber('mimir.ingestionBurstSize', mimir.ingestionBurstSize, true);
  p.positiveNumber('mimir.maxGlobalSeriesPerUser', mimir.maxGlobalSeriesPerUser, true);
  p.mimirLimitsReachable(mimir, resolved.kafka);
  p.positiveNumber('mimir.maxGlobalExemplarsPerUser', mimir.maxGlobalExemplarsPerUser, true);
  if (resolved.objectStorage) p.objectStorage(resolved.objectStorage);
  p.backend('loki', loki);
  if (p.mode('loki', loki.mode, resolved.objectStorage, 'logs')) {
    p.components('loki', loki.components, LOKI_TARGETS);
    const ingesters = loki.components?.ingester?.replicas;
    if (ingesters !== undefined && ingesters < 3) {
      p.add('loki.components.ingester.replicas', ingesters, 'at least 3: scalable Loki writes every stream to 3 ingesters');
    }
    if (resolved.highAvailability && resolved.cluster.zones.length < 3) {
      p.add('cluster.zones', resolved.cluster.zones, 'at least 3 zones while loki.mode is "scalable" and highAvailability is true: zone-aware ingesters keep one copy of each stream per zone');
    }
    const compactors = loki.components?.compactor?.replicas;
    if (compactors !== undefined && compactors !== 1) {
      p.add('loki.components.compactor.replicas', compactors, 'exactly 1: the compactor applies retention and deletes alone');
    }
  }
  p.positiveNumber('loki.ingestionRateMb', loki.ingestionRateMb, false);
  p.positiveNumber('loki.ingestionBurstSizeMb', loki.ingestionBurstSizeMb, false);
  p.positiveNumber('loki.maxGlobalStreamsPerUser', loki.maxGlobalStreamsPerUser, true);
  if (resolved.kafka) p.kafka(resolved.kafka);
  p.backend('tempo', tempo);
  if (p.mode('tempo', tempo.mode, resolved.objectStorage, 'traces')) {
    p.components('tempo', tempo.components, TEMPO_TARGETS);
    const kafka = resolved.kafka;
    if (!kafka) {
      p.add('tempo.mode', tempo.mode, "\"scalable\" only with 'kafka' set: Tempo 3 writes through Kafka in microservices mode");
    } else {
      const partitions = kafka.partitions?.traces;
      if (!kafka.topics?.traces) p.add('kafka.topics.traces', kafka.topics?.traces, 'a topic name: tempo.mode is "scalable"');
      if (partitions === undefined) p.add('kafka.partitions.traces', partitions, 'the partition count of the traces topic: tempo.mode is "scalable"');
      const builders = tempo.components?.['block-builder']?.replicas ?? 1;
      if (partitions !== undefined && Number.isInteger(builders) && builders > 0 && partitions % builders !== 0) {
        p.add('tempo.components.block-builder.replicas', builders, `a divisor of kafka.partitions.traces (${partitions}): each block-builder owns an equal run of partitions`);
      }
      const liveStores = tempo.components?.['live-store']?.replicas;
      if (partitions !== undefined && liveStores !== undefined && liveStores !== partitions) {
        p.add('tempo.components.live-store.replicas', liveStores, `exactly kafka.partitions.traces (${partitions}): each live-store owns the partition of its ordinal`);
      }
    }
    if (kafka?.tls) p.add('kafka.tls', kafka.tls, 'unset while tempo.mode is "scalable": Tempo 3.0.3 cannot use TLS to Kafka');
    if (kafka?.saslMechanism !== undefined && kafka.saslMechanism !== 'PLAIN') {
      p.add('kafka.saslMechanism', kafka.saslMechanism, '"PLAIN" while tempo.mode is "scalable": Tempo 3.0.3 speaks SASL/PLAIN only (let Tempo use a PLAIN listener)');
    }
    const schedulers = tempo.components?.['backend-scheduler']?.replicas;
    if (schedulers !== undefined && schedulers !== 1) p.add('tempo.components.backend-scheduler.replicas', schedulers, 'exactly 1: the backend scheduler is a singleton');
    if (resolved.objectStorage?.provider === 'gcs' && resolved.objectStorage.credentialsSecret) {
      p.add('objectStorage.credentialsSecret', resolved.objectStorage.credentialsSecret,
        'none with provider gcs while tempo.mode is "scalable": this stack gives Tempo GCS access through workload identity only');
    }
  }
  p.positiveNumber('tempo.ingestionRateLimitBytes', tempo.ingestionRateLimitBytes, true);
  p.positiveNumber('tempo.ingestionBurstSizeBytes', tempo.ingestionBurstSizeBytes, true);
  p.positiveNumber('tempo.maxTracesPerUser', tempo.maxTracesPerUser, true);
  if (!DNS_SUBDOMAIN.test(resolved.clusterDomain)) p.add('clusterDomain', resolved.clusterDomain, 'a DNS domain such as "cluster.local"');
  p.backend('pyroscope', pyroscope);
  if (p.mode('pyroscope', pyroscope.mode, resolved.objectStorage, 'profiles')) {
    p.components('pyroscope', pyroscope.components, PYROSCOPE_TARGETS);
    const metastores = pyroscope.components?.metastore?.replicas;
    if (metastores !== undefined && metastores % 2 === 0) {
      p.add('pyroscope.components.metastore.replicas', metastores, 'an odd number (1, 3, 5): the metastores form a Raft group');
    }
    if (resolved.clusterDomain !== 'cluster.local') {
      p.add('clusterDomain', resolved.clusterDomain, '"cluster.local" while pyroscope.mode is "scalable": Pyroscope 2.2.1 finds its metastore leader under svc.cluster.local');
    }
  }
  p.positiveNumber('pyroscope.ingestionRateMb', pyroscope.ingestionRateMb, false);
  p.positiveNumber('pyroscope.ingestionBurstSizeMb', pyroscope.ingestionBurstSizeMb, false);

  const { grafana } = resolved;
  const secretName = (setting: string, value: string | undefined) => {
    if (value !== undefined && !DNS_SUBDOMAIN.test(value)) p.add(setting, value, 'the name of a Secret in the stack namespace (a DNS subdomain)');
  };
  if (grafana.rootUrl !== undefined && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(grafana.rootUrl)) {
    p.add('grafana.rootUrl', grafana.rootUrl, 'an absolute http(s) URL such as "https://grafana.example.com"');
  }
  secretName('grafana.adminSecret', grafana.adminSecret);
  if (grafana.ingress) {
    if (!DNS_SUBDOMAIN.test(grafana.ingress.host)) p.add('grafana.ingress.host', grafana.ingress.host, 'a DNS name such as "grafana.example.com"');
    secretName('grafana.ingress.tlsSecretName', grafana.ingress.tlsSecretName);
  }
  if (grafana.storageSize !== undefined) p.positiveQuantity('grafana.storageSize', grafana.storageSize, 'memory');
  if (grafana.resources !== undefined) p.resources('grafana.resources', grafana.resources);
  const sso = grafana.sso;
  if (sso) {
    if (!/^https:\/\/[^/\s]+\/realms\/[^/\s]+\/?$/.test(sso.issuerUrl)) {
      p.add('grafana.sso.issuerUrl', sso.issuerUrl, 'the realm\'s issuer URL over HTTPS, e.g. "https://sso.example.com/realms/platform"');
    }
    if (!/^[A-Za-z0-9._-]+$/.test(sso.clientId)) p.add('grafana.sso.clientId', sso.clientId, 'a Keycloak client ID: letters, digits, ".", "_" and "-"');
    secretName('grafana.sso.clientSecretSecret', sso.clientSecretSecret);
    for (const role of Object.keys(sso.roleMapping)) {
      if (!GRAFANA_ROLES.includes(role as never)) p.add(`grafana.sso.roleMapping.${role}`, role, GRAFANA_ROLES.join(', '));
    }
    if (Object.values(sso.roleMapping).every((names) => !names || names.length === 0)) {
      p.add('grafana.sso.roleMapping', sso.roleMapping, 'at least one Keycloak role or group mapped to a Grafana role');
    }
    if (grafana.rootUrl === undefined && !grafana.ingress) {
      p.add('grafana.rootUrl', undefined, 'the URL users open Grafana at (or grafana.ingress): Keycloak redirects back to it');
    }
  }

  const { alloy } = resolved;
  p.integer('alloy.collectorReplicas', alloy.collectorReplicas, 1, 50);
  if (resolved.highAvailability && alloy.collectorReplicas < 2) {
    p.add('alloy.collectorReplicas', alloy.collectorReplicas, 'at least 2 when highAvailability is true (or set highAvailability: false)');
  }
  p.resources('alloy.nodeAgentResources', alloy.nodeAgentResources);
  p.resources('alloy.collectorResources', alloy.collectorResources);
  p.positiveQuantity('alloy.collectorStorageSize', alloy.collectorStorageSize, 'memory');

  const { opencost } = resolved;
  const pricing = opencost.pricing;
  if (pricing) {
    const providers = [...CLOUD_PROVIDERS, 'custom'];
    if (!providers.includes(pricing.provider)) p.add('opencost.pricing.provider', pricing.provider, providers.join(', '));
    if (pricing.provider === 'custom') {
      const price = (key: keyof CustomPricing, value: unknown, unit: string, zeroAllowed: boolean) => {
        const ok = typeof value === 'number' && Number.isFinite(value) && (zeroAllowed ? value >= 0 : value > 0);
        if (!ok) p.add(`opencost.pricing.${key}`, value, `a price per ${unit}: a number ${zeroAllowed ? 'of 0 or more' : 'above 0'}`);
      };
      price('cpuCoreHour', pricing.cpuCoreHour, 'CPU core-hour', false);
      price('ramGibHour', pricing.ramGibHour, 'GiB-hour of memory', false);
      price('storageGibMonth', pricing.storageGibMonth, 'GiB-month of storage', true);
      if (pricing.gpuHour !== undefined) price('gpuHour', pricing.gpuHour, 'GPU-hour', true);
      if (pricing.currency !== undefined && !/^[A-Z]{3}$/.test(pricing.currency)) p.add('opencost.pricing.currency', pricing.currency, 'an ISO 4217 code such as "USD" or "EUR"');
    } else {
      secretName('opencost.pricing.credentialsSecret', pricing.credentialsSecret);
      if (pricing.provider === 'gcp' && !pricing.credentialsSecret) {
        p.add('opencost.pricing.credentialsSecret', undefined, 'a Secret with the key api-key (a Google Cloud pricing API key): OpenCost does not start on GCP without one');
      }
    }
  }
  if (opencost.resources !== undefined) p.resources('opencost.resources', opencost.resources);
  if (opencost.ingress) {
    if (!DNS_SUBDOMAIN.test(opencost.ingress.host)) p.add('opencost.ingress.host', opencost.ingress.host, 'a DNS name such as "cost.example.com"');
    secretName('opencost.ingress.tlsSecretName', opencost.ingress.tlsSecretName);
  }

  if (p.list.length > 0) throw new ConfigError(String(config.environment), p.list);
  return resolved;
}
