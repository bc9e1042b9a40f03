import { KAFKA_SASL_MECHANISMS, KafkaSettings } from '../common/kafka';
import { OBJECT_STORAGE_PROVIDERS, ObjectStorage } from '../common/object-storage';
import { DNS_SUBDOMAIN, LABEL_VALUE, Problems, RuleContext } from '../common/problems';
import { alloyRules } from '../alloy/rules';
import { grafanaRules } from '../grafana/rules';
import { lokiRules } from '../loki/rules';
import { mimirRules } from '../mimir/rules';
import { opencostRules } from '../opencost/rules';
import { prometheusRules } from '../prometheus/rules';
import { pyroscopeRules } from '../pyroscope/rules';
import { tempoRules } from '../tempo/rules';
import { applyDefaults, LOG_LEVELS, ResolvedStackConfig, StackConfig } from './stack-config';

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

/** Tenant IDs as Grafana's backends accept them (Mimir/Loki/Tempo tenant ID rules). */
const TENANT_ID = /^[A-Za-z0-9!_.*'()-]{1,150}$/;
const HOST_PORT = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$/;
const KAFKA_TOPIC = /^[A-Za-z0-9._-]{1,249}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Applies the stack-wide defaults and checks every setting of one environment. Runs before any
 * manifest is built; every problem names the setting, the value and what is allowed. The rules
 * of each component live beside it (lib/<component>/rules.ts) and are called from here only.
 */
export function resolveStackConfig(config: StackConfig): ResolvedStackConfig {
  const p = new Problems();
  const resolved = applyDefaults(config);
  const context: RuleContext = {
    highAvailability: resolved.highAvailability,
    zones: Array.isArray(resolved.cluster.zones) ? resolved.cluster.zones : [],
    clusterDomain: resolved.clusterDomain,
    objectStorage: resolved.objectStorage,
    kafka: resolved.kafka,
  };

  stackRules(p, resolved, context);
  if (resolved.objectStorage) objectStorageRules(p, resolved.objectStorage);
  if (resolved.kafka) kafkaRules(p, resolved.kafka);
  prometheusRules(p, resolved.prometheus, context);
  if (resolved.prometheusOperator.logLevel !== undefined && !LOG_LEVELS.includes(resolved.prometheusOperator.logLevel)) {
    p.add('prometheusOperator.logLevel', resolved.prometheusOperator.logLevel, LOG_LEVELS.join(', '));
  }
  p.resources('prometheusOperator.resources', resolved.prometheusOperator.resources);
  p.resources('kubeStateMetrics.resources', resolved.kubeStateMetrics.resources);
  p.resources('nodeExporter.resources', resolved.nodeExporter.resources);
  mimirRules(p, resolved.mimir, context);
  lokiRules(p, resolved.loki, context);
  tempoRules(p, resolved.tempo, context);
  pyroscopeRules(p, resolved.pyroscope, context);
  alloyRules(p, resolved.alloy, context);
  grafanaRules(p, resolved.grafana);
  opencostRules(p, resolved.opencost);

  if (p.list.length > 0) throw new ConfigError(String(config.environment), p.list);
  return resolved;
}

/** The settings of the environment itself: names, namespaces, tenant, the cluster's shape. */
function stackRules(p: Problems, resolved: ResolvedStackConfig, context: RuleContext): void {
  p.dnsLabel('environment', resolved.environment);
  if (!LABEL_VALUE.test(resolved.clusterName) || resolved.clusterName.length > 63) {
    p.add('clusterName', resolved.clusterName, 'a label value: letters, digits, "-", "_" and ".", at most 63 characters');
  }
  const { cluster } = resolved;
  const zones = context.zones;
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
  if (!TENANT_ID.test(resolved.tenant) || resolved.tenant === '.' || resolved.tenant === '..') {
    p.add('tenant', resolved.tenant, "a tenant ID: up to 150 letters, digits and !-_.*'() (not \".\" or \"..\")");
  }
  if (!DNS_SUBDOMAIN.test(resolved.clusterDomain)) p.add('clusterDomain', resolved.clusterDomain, 'a DNS domain such as "cluster.local"');
}

function objectStorageRules(p: Problems, storage: ObjectStorage): void {
  if (!OBJECT_STORAGE_PROVIDERS.includes(storage.provider)) {
    p.add('objectStorage.provider', storage.provider, OBJECT_STORAGE_PROVIDERS.join(', '));
    return;
  }
  if (storage.provider === 's3' && (!storage.endpoint || /^[a-z]+:\/\//.test(storage.endpoint) || storage.endpoint.includes('/'))) {
    p.add('objectStorage.endpoint', storage.endpoint, 'the S3 API host[:port] without scheme or path, e.g. "s3.eu-west-1.amazonaws.com"');
  }
  if (storage.provider === 'azure' && !/^[a-z0-9]{3,24}$/.test(storage.accountName ?? '')) {
    p.add('objectStorage.accountName', storage.accountName, 'an Azure storage account name: 3 to 24 lowercase letters and digits');
  }
  for (const [kind, bucket] of Object.entries(storage.buckets ?? {})) {
    if (bucket !== undefined && !BUCKET.test(bucket)) p.add(`objectStorage.buckets.${kind}`, bucket, 'a bucket name: 3 to 63 lowercase letters, digits, "-" and "."');
  }
  const buckets = Object.values(storage.buckets ?? {}).filter((b) => b !== undefined);
  const shared = buckets.find((b, i) => buckets.indexOf(b) !== i);
  if (shared) p.add('objectStorage.buckets', shared, 'a different bucket per kind of data: backends that share one overwrite each other');
  p.secretName('objectStorage.credentialsSecret', storage.credentialsSecret);
}

function kafkaRules(p: Problems, kafka: KafkaSettings): void {
  if (!HOST_PORT.test(kafka.address ?? '')) {
    p.add('kafka.address', kafka.address, 'one bootstrap address as host:port, e.g. "kafka-bootstrap.kafka.svc:9092"');
  }
  for (const [signal, partitions] of Object.entries(kafka.partitions ?? {})) {
    if (partitions !== undefined) p.integer(`kafka.partitions.${signal}`, partitions, 1, 10000);
  }
  for (const [signal, topic] of Object.entries(kafka.topics ?? {})) {
    if (topic !== undefined && !KAFKA_TOPIC.test(topic)) p.add(`kafka.topics.${signal}`, topic, 'a Kafka topic name: letters, digits, ".", "_" and "-"');
  }
  if (kafka.saslMechanism !== undefined && !KAFKA_SASL_MECHANISMS.includes(kafka.saslMechanism)) {
    p.add('kafka.saslMechanism', kafka.saslMechanism, KAFKA_SASL_MECHANISMS.join(', '));
  }
  p.secretName('kafka.saslSecret', kafka.saslSecret);
  p.secretName('kafka.tls.caSecret', kafka.tls?.caSecret);
}
