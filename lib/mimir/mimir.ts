import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import { retentionHours } from '../common/durations';
import { Endpoint, PodPeer, RemoteWriteTarget } from '../common/endpoints';
import { KAFKA_CA_DIR, KAFKA_CA_KEY, KAFKA_DEFAULT_SASL_MECHANISM, kafkaCaVolume, kafkaEnv, KafkaSettings, KAFKA_SECRET_KEYS } from '../common/kafka';
import { CLUSTER_LABEL, ComponentIdentity } from '../common/labels';
import { componentHost, ComponentSizing, memberlistConfig, Microservices, MicroserviceSpec, sizedComponent } from '../common/microservices';
import { bucketFor, credentialEnv, fromEnv, OBJECT_STORAGE_SECRET_KEYS, ObjectStorage } from '../common/object-storage';
import { ResourceSpec } from '../common/resources';
import { zonedPartitionConsumers } from '../common/zones';
import { DeploymentMode, SingleBinary, StorageBackendProps } from '../common/single-binary';

/** The components of Mimir's microservices mode (ingest storage), as `-target` names them. */
export const MIMIR_TARGETS = ['distributor', 'ingester', 'querier', 'query-frontend', 'query-scheduler', 'store-gateway', 'compactor', 'ruler', 'alertmanager'] as const;
export type MimirTarget = (typeof MIMIR_TARGETS)[number];

export interface MimirProps extends StorageBackendProps {
  /** `monolithic`: one binary on a volume. `scalable`: microservices with Kafka ingest storage on object storage. */
  readonly mode?: DeploymentMode;
  /** Blocks, rules and Alertmanager state in scalable mode (buckets `metrics`, `metricsRuler`, `metricsAlertmanager`). */
  readonly objectStorage?: ObjectStorage;
  /** The ingest storage of scalable mode (topic `topics.metrics`, one ingester per partition and zone). */
  readonly kafka?: KafkaSettings;
  /** Scalable mode: PodDisruptionBudgets and spreading across zones and nodes. @default false */
  readonly highAvailability?: boolean;
  /**
   * Scalable mode: the availability zones each ingester zone is pinned to, in order (one per ring
   * zone). @default - not pinned: a single-zone cluster
   */
  readonly availabilityZones?: readonly string[];
  /**
   * Scalable mode: replicas and resources per component. Ingesters are not sized here: each of
   * the two zones runs one per Kafka partition.
   * @default MIMIR_DEFAULTS.components
   */
  readonly components?: ComponentSizing<MimirTarget>;
  /** The tenant writers use; the remote-write target carries it. */
  readonly tenant: string;
  /** Per-tenant ingestion rate, samples/s (`limits.ingestion_rate`). */
  readonly ingestionRate?: number;
  /** Per-tenant burst, samples (`limits.ingestion_burst_size`). */
  readonly ingestionBurstSize?: number;
  /** Active series per tenant (`limits.max_global_series_per_user`). */
  readonly maxGlobalSeriesPerUser?: number;
  /**
   * Exemplars kept in memory per tenant (`limits.max_global_exemplars_per_user`). Mimir's default,
   * 0, drops every exemplar: no jump from a metric to its trace.
   */
  readonly maxGlobalExemplarsPerUser?: number;
}

/** Mimir's defaults for every optional prop. */
export const MIMIR_DEFAULTS = {
  mode: 'monolithic' as DeploymentMode,
  components: {
    distributor: { replicas: 3, resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' } },
    ingester: { replicas: 1, resources: { cpuRequest: '1', memoryRequest: '4Gi', memoryLimit: '8Gi' } },
    querier: { replicas: 3, resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' } },
    'query-frontend': { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    'query-scheduler': { replicas: 2, resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi' } },
    'store-gateway': { replicas: 3, resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' } },
    compactor: { replicas: 1, resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' } },
    ruler: { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    alertmanager: { replicas: 3, resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' } },
  } satisfies Record<MimirTarget, { replicas: number; resources: ResourceSpec }>,
  retention: '30d',
  storageSize: '20Gi',
  resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' },
  ingestionRate: 50_000,
  ingestionBurstSize: 500_000,
  /** What the default single binary (4Gi) holds: lib/sizing/capacity.ts. */
  maxGlobalSeriesPerUser: 300_000,
  maxGlobalExemplarsPerUser: 100_000,
} as const;

const IDENTITY: ComponentIdentity = { name: 'mimir', instance: 'mimir', component: 'single-binary', image: 'mimir' };
const HTTP_PORT = 8080;
const GRPC_PORT = 9095;
/** Mimir's image sets no user (it would run as root); any non-root user works with fsGroup. */
const RUN_AS_USER = 10001;
const DATA = '/data';
const CONFIG_DIR = '/etc/mimir';
/** Its key-value store named, not left to a default: the tracker fails the distributors if it cannot reach it. */
const HA_TRACKER = { enable_ha_tracker: true, kvstore: { store: 'memberlist' } };

/** Paths of Mimir's HTTP API that other components call. */
export const MIMIR_PUSH_PATH = '/api/v1/push';
/** Prefix of the Prometheus-compatible query API (`<prefix>/api/v1/query`...). */
export const MIMIR_PROMETHEUS_PREFIX = '/prometheus';
export const MIMIR_ALERTMANAGER_PREFIX = '/alertmanager';
/**
 * The labels Mimir's HA tracker reads: `cluster` names a group of Prometheus replicas that scrape
 * the same targets, `__replica__` the replica. Mimir keeps one replica's samples and drops the
 * replica label.
 */
export const HA_CLUSTER_LABEL = CLUSTER_LABEL;
export const HA_REPLICA_LABEL = '__replica__';

/** Where the Alertmanager reads the configuration of a tenant that has uploaded none. */
const ALERTMANAGER_FALLBACK_FILE = 'alertmanager-fallback.yaml';

/**
 * A tenant without an uploaded Alertmanager configuration gets this one: without it, Mimir
 * answers 404 to the ruler's notifications and to Grafana. It routes everything to a receiver
 * with no integration; the alerting configuration of the stack replaces it per tenant.
 */
export function alertmanagerFallbackConfig(): string {
  return dump({ route: { receiver: 'default' }, receivers: [{ name: 'default' }] }, { lineWidth: -1, sortKeys: true });
}

/** The configuration of a single-binary Mimir (classic write path, no Kafka) on its own volume. */
export function mimirConfig(props: MimirProps): object {
  return {
    multitenancy_enabled: true,
    server: { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' },
    common: { storage: { backend: 'filesystem' } },
    // Blocks, rules and Alertmanager state must not share a location.
    blocks_storage: {
      filesystem: { dir: `${DATA}/blocks` },
      tsdb: { dir: `${DATA}/tsdb` },
      bucket_store: { sync_dir: `${DATA}/tsdb-sync` },
    },
    ruler_storage: { filesystem: { dir: `${DATA}/rules` } },
    alertmanager_storage: { filesystem: { dir: `${DATA}/alertmanager-state` } },
    compactor: { data_dir: `${DATA}/compactor` },
    // Its default (./metrics-activity.log) is on the read-only root filesystem.
    activity_tracker: { filepath: `${DATA}/metrics-activity.log` },
    ruler: { rule_path: `${DATA}/ruler` },
    // One instance of each ring: replicate to that one.
    alertmanager: { data_dir: `${DATA}/alertmanager`, sharding_ring: { replication_factor: 1 }, fallback_config_file: `${CONFIG_DIR}/${ALERTMANAGER_FALLBACK_FILE}` },
    ingester: { ring: { replication_factor: 1 } },
    store_gateway: { sharding_ring: { replication_factor: 1 } },
    // De-duplicates the samples of Prometheus replicas (see HA_CLUSTER_LABEL).
    distributor: { ha_tracker: HA_TRACKER },
    limits: limits(props, `http://localhost:${HTTP_PORT}${MIMIR_ALERTMANAGER_PREFIX}`),
    usage_stats: { enabled: false },
  };
}

function limits(props: MimirProps, alertmanagerUrl: string): object {
  return {
    compactor_blocks_retention_period: retentionHours(props.retention ?? MIMIR_DEFAULTS.retention),
    ingestion_rate: props.ingestionRate ?? MIMIR_DEFAULTS.ingestionRate,
    ingestion_burst_size: props.ingestionBurstSize ?? MIMIR_DEFAULTS.ingestionBurstSize,
    max_global_series_per_user: props.maxGlobalSeriesPerUser ?? MIMIR_DEFAULTS.maxGlobalSeriesPerUser,
    max_global_exemplars_per_user: props.maxGlobalExemplarsPerUser ?? MIMIR_DEFAULTS.maxGlobalExemplarsPerUser,
    // OTLP exponential histograms arrive as native histograms.
    native_histograms_ingestion_enabled: true,
    accept_ha_samples: true,
    ha_cluster_label: HA_CLUSTER_LABEL,
    ha_replica_label: HA_REPLICA_LABEL,
    // Where the ruler sends alerts; plain HTTP inside the cluster (the default is TLS).
    ruler_alertmanager_client_config: { alertmanager_url: alertmanagerUrl, tls_enabled: false },
  };
}

/** `common.storage` plus the bucket of each store, credentials as `${ENV}` references. */
function mimirObjectStorage(storage: ObjectStorage): object {
  const secret = storage.credentialsSecret !== undefined;
  const buckets = {
    blocks: bucketFor(storage, 'metrics'),
    rules: bucketFor(storage, 'metricsRuler'),
    alertmanager: bucketFor(storage, 'metricsAlertmanager'),
  };
  const bucketKey = storage.provider === 'azure' ? 'container_name' : 'bucket_name';
  const inEachStore = (bucket: string) => ({ [storage.provider]: { [bucketKey]: bucket } });
  let common: object;
  switch (storage.provider) {
    case 's3': {
      const [accessKey, secretKey] = OBJECT_STORAGE_SECRET_KEYS.s3;
      common = {
        backend: 's3',
        s3: {
          endpoint: storage.endpoint,
          ...(storage.region ? { region: storage.region } : {}),
          ...(secret ? { access_key_id: fromEnv(accessKey), secret_access_key: fromEnv(secretKey) } : {}),
          insecure: storage.insecure ?? false,
          ...(storage.forcePathStyle ? { bucket_lookup_type: 'path' } : {}),
        },
      };
      break;
    }
    case 'gcs':
      common = { backend: 'gcs', gcs: secret ? { service_account: fromEnv(OBJECT_STORAGE_SECRET_KEYS.gcs[0]) } : {} };
      break;
    case 'azure':
      common = {
        backend: 'azure',
        azure: { account_name: storage.accountName, ...(secret ? { account_key: fromEnv(OBJECT_STORAGE_SECRET_KEYS.azure[0]) } : {}) },
      };
      break;
  }
  return {
    common: { storage: common },
    blocks_storage: { ...inEachStore(buckets.blocks), tsdb: { dir: `${DATA}/tsdb` }, bucket_store: { sync_dir: `${DATA}/tsdb-sync` } },
    ruler_storage: inEachStore(buckets.rules),
    alertmanager_storage: inEachStore(buckets.alertmanager),
  };
}

export interface MimirScalableInput extends MimirProps {
  readonly objectStorage: ObjectStorage;
  readonly kafka: KafkaSettings;
}

/** Ring zones of the ingesters: each partition is consumed by one ingester in each. */
export const INGESTER_ZONES = 2;
/**
 * Ingesters of one zone restarted at once. The other zone serves every partition meanwhile, and
 * a restarted ingester replays its partition from Kafka; a few at a time bound the catch-up load.
 */
const INGESTER_MAX_UNAVAILABLE_PER_ZONE = 2;

/** The configuration every component of a scalable Mimir (ingest storage) reads. */
export function mimirScalableConfig(props: MimirScalableInput): object {
  const { namespace, kafka } = props;
  const topic = kafka.topics.metrics;
  if (!topic || !kafka.partitions.metrics) throw new Error("Mimir: 'kafka.topics.metrics' and 'kafka.partitions.metrics' are required in scalable mode");
  const [user, password] = KAFKA_SECRET_KEYS;
  const scheduler = `${componentHost('mimir', 'query-scheduler', namespace, true)}:${GRPC_PORT}`;
  return {
    multitenancy_enabled: true,
    server: { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' },
    ...mimirObjectStorage(props.objectStorage),
    // Every component must carry the Kafka settings: validation requires them everywhere.
    ingest_storage: {
      enabled: true,
      kafka: {
        address: kafka.address,
        topic,
        ...(kafka.saslSecret
          ? { sasl_mechanism: kafka.saslMechanism ?? KAFKA_DEFAULT_SASL_MECHANISM, sasl_username: fromEnv(user), sasl_password: fromEnv(password) }
          : {}),
        ...(kafka.tls ? { tls_enabled: true, ...(kafka.tls.caSecret ? { tls_ca_path: `${KAFKA_CA_DIR}/${KAFKA_CA_KEY}` } : {}) } : {}),
        auto_create_topic_enabled: false,
      },
    },
    memberlist: memberlistConfig('mimir', namespace),
    ingester: { ring: { zone_awareness_enabled: true } },
    frontend: { scheduler_address: scheduler },
    frontend_worker: { scheduler_address: scheduler },
    store_gateway: { sharding_ring: { replication_factor: 3 } },
    compactor: { data_dir: `${DATA}/compactor` },
    activity_tracker: { filepath: `${DATA}/metrics-activity.log` },
    // With ingest storage, rules are evaluated through the query path.
    ruler: { rule_path: `${DATA}/ruler`, query_frontend: { address: `dns:///${componentHost('mimir', 'query-frontend', namespace, true)}:${GRPC_PORT}` } },
    alertmanager: { data_dir: `${DATA}/alertmanager`, sharding_ring: { replication_factor: 3 }, fallback_config_file: `${CONFIG_DIR}/${ALERTMANAGER_FALLBACK_FILE}` },
    // Pushes wait for Kafka to acknowledge: upstream's ingest-storage setting, above the 2s default.
    distributor: { ha_tracker: HA_TRACKER, remote_timeout: '5s' },
    limits: limits(props, `http://${componentHost('mimir', 'alertmanager', namespace)}:${HTTP_PORT}${MIMIR_ALERTMANAGER_PREFIX}`),
    usage_stats: { enabled: false },
  };
}

/**
 * Mimir, the long-term metrics store, run as one binary with its Alertmanager
 * (`-target=all,alertmanager`) on a PersistentVolumeClaim: multi-tenant, Prometheus-compatible
 * query API, retention enforced by its compactor.
 */
export class Mimir extends Construct {
  readonly pods: PodPeer;
  /** Zoned StatefulSets the rollout-operator rolls one zone after another (scalable mode). */
  readonly rolloutGroups: readonly string[];
  /** Where samples are pushed: the distributors. */
  readonly push: Endpoint;
  /** The Prometheus-compatible query API (under /prometheus) and Alertmanager: the query frontends. */
  readonly query: Endpoint;
  /** The Alertmanager API (under /alertmanager). */
  readonly alertmanager: Endpoint;
  /** Where Prometheus-compatible writers send samples, as the environment's tenant. */
  readonly remoteWrite: RemoteWriteTarget;

  constructor(scope: Construct, id: string, props: MimirProps) {
    super(scope, id);
    const mode = props.mode ?? MIMIR_DEFAULTS.mode;
    if (mode === 'monolithic') {
      const binary = new SingleBinary(this, 'mimir', {
        identity: IDENTITY,
        namespace: props.namespace,
        wiring: props.wiring,
        config: mimirConfig(props),
        configDir: CONFIG_DIR,
        extraConfigFiles: { [ALERTMANAGER_FALLBACK_FILE]: alertmanagerFallbackConfig() },
        target: 'all,alertmanager',
        httpPort: HTTP_PORT,
        grpcPort: GRPC_PORT,
        dataPath: DATA,
        storage: { name: 'data', size: props.storageSize ?? MIMIR_DEFAULTS.storageSize, storageClassName: props.storageClassName },
        runAsUser: RUN_AS_USER,
        resources: props.resources ?? MIMIR_DEFAULTS.resources,
        goMemoryLimit: true,
      });
      this.pods = binary.pods;
      this.rolloutGroups = [];
      this.push = binary.service.endpoint('http');
      this.query = binary.service.endpoint('http');
      this.alertmanager = binary.service.endpoint('http');
    } else {
      if (!props.objectStorage || !props.kafka) throw new Error("Mimir: 'mode' scalable needs 'objectStorage' (blocks) and 'kafka' (ingest storage)");
      const input: MimirScalableInput = { ...props, objectStorage: props.objectStorage, kafka: props.kafka };
      const partitions = props.kafka.partitions.metrics ?? 0;
      const ingesters = props.components?.ingester?.replicas;
      if (ingesters !== undefined && ingesters !== partitions) {
        throw new Error(`Mimir: ingester replicas (${ingesters}) must equal the Kafka partitions (${partitions}): each ingester consumes the partition of its ordinal`);
      }
      const volume = { name: 'data', size: props.storageSize ?? MIMIR_DEFAULTS.storageSize, storageClassName: props.storageClassName };
      const component = (target: MimirTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, MIMIR_DEFAULTS.components, extra);
      const mimir = new Microservices(this, 'mimir', {
        name: 'mimir',
        image: 'mimir',
        namespace: props.namespace,
        wiring: props.wiring,
        config: mimirScalableConfig(input),
        configDir: CONFIG_DIR,
        extraConfigFiles: { [ALERTMANAGER_FALLBACK_FILE]: alertmanagerFallbackConfig() },
        httpPort: HTTP_PORT,
        grpcPort: GRPC_PORT,
        dataPath: DATA,
        runAsUser: RUN_AS_USER,
        env: [...credentialEnv(props.objectStorage), ...kafkaEnv(props.kafka)],
        goMemoryLimit: true,
        extraVolumes: [kafkaCaVolume(props.kafka)].filter((v) => v !== undefined),
        highAvailability: props.highAvailability ?? false,
        components: [
          // Keeps serving while clients drop it from their pools, and drains long-lived connections.
          component('distributor', { extraArgs: ['-shutdown-delay=90s', '-server.grpc.keepalive.max-connection-age=60s'], terminationGracePeriodSeconds: 100 }),
          ...zonedPartitionConsumers({
            target: 'ingester',
            zones: INGESTER_ZONES,
            nodeZones: props.availabilityZones,
            partitions,
            zoneFlag: '-ingester.ring.instance-availability-zone',
            maxUnavailablePerZone: INGESTER_MAX_UNAVAILABLE_PER_ZONE,
            spec: { ...component('ingester'), storage: volume, terminationGracePeriodSeconds: 300 },
          }),
          component('querier', { terminationGracePeriodSeconds: 180 }),
          component('query-frontend', { extraArgs: ['-shutdown-delay=90s', '-server.grpc.keepalive.max-connection-age=30s'], terminationGracePeriodSeconds: 390 }),
          component('query-scheduler'),
          component('store-gateway', { kind: 'StatefulSet', storage: volume }),
          // One compactor suffices for most clusters; it merges the zones' duplicate blocks.
          component('compactor', { kind: 'StatefulSet', storage: volume, terminationGracePeriodSeconds: 900 }),
          component('ruler'),
          component('alertmanager', { kind: 'StatefulSet', storage: volume, extraArgs: ['-server.http-idle-timeout=6m'], terminationGracePeriodSeconds: 60 }),
        ],
      });
      this.pods = mimir.allPods;
      this.rolloutGroups = mimir.rolloutGroups;
      this.push = mimir.component('distributor').service.endpoint('http');
      this.query = mimir.component('query-frontend').service.endpoint('http');
      this.alertmanager = mimir.component('alertmanager').service.endpoint('http');
    }
    this.remoteWrite = {
      endpoint: this.push,
      path: MIMIR_PUSH_PATH,
      tenant: props.tenant,
      deduplication: { clusterLabel: HA_CLUSTER_LABEL, replicaLabel: HA_REPLICA_LABEL },
    };
  }
}
