import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import { Database, DatabaseAddresses, DatabaseSpec, MicroserviceSpec, sizedComponent, StorageBackendContext, StorageBackendSettings } from '../common/database';
import { withDefaults } from '../common/defaults';
import { retentionHours } from '../common/durations';
import { HttpApi, PodPeer, RemoteWriteTarget, WorkloadScope } from '../common/endpoints';
import { KAFKA_CA_DIR, KAFKA_CA_KEY, KAFKA_DEFAULT_SASL_MECHANISM, kafkaCaVolume, kafkaEnv, KafkaSettings, KAFKA_SECRET_KEYS } from '../common/kafka';
import { CLUSTER_LABEL } from '../common/labels';
import { bucketFor, credentialEnv, fromEnv, ObjectStorage, objectStoreClient, ObjectStoreDialect } from '../common/object-storage';
import { ResourceSpec } from '../common/resources';
import { zonedPartitionConsumers } from '../common/zones';

/** The components of Mimir's microservices mode (ingest storage), as `-target` names them. */
export const MIMIR_TARGETS = ['distributor', 'ingester', 'querier', 'query-frontend', 'query-scheduler', 'store-gateway', 'compactor', 'ruler', 'alertmanager'] as const;
export type MimirTarget = (typeof MIMIR_TARGETS)[number];

/** What an environment sets for Mimir (`mimir:` in its config). */
export interface MimirSettings extends StorageBackendSettings<MimirTarget> {
  /** Per-tenant ingestion rate, samples/s (`limits.ingestion_rate`). @default 50000 */
  readonly ingestionRate?: number;
  /** Per-tenant burst, samples (`limits.ingestion_burst_size`). @default 500000 */
  readonly ingestionBurstSize?: number;
  /** Active series per tenant (`limits.max_global_series_per_user`); must fit the ingesters (lib/sizing/capacity.ts). @default 300000 */
  readonly maxGlobalSeriesPerUser?: number;
  /**
   * Exemplars kept in memory per tenant (`limits.max_global_exemplars_per_user`). Mimir's default,
   * 0, drops every exemplar: no jump from a metric to its trace. @default 100000
   */
  readonly maxGlobalExemplarsPerUser?: number;
}

/** Mimir as the charts build it: its settings, and what it is wired to. */
export interface MimirProps extends MimirSettings, StorageBackendContext {
  /** The tenant writers use; the remote-write target carries it. */
  readonly tenant: string;
  /** The ingest storage of scalable mode (topic `topics.metrics`, one ingester per partition and zone). @default - none: monolithic only */
  readonly kafka?: KafkaSettings;
}

/** Mimir's defaults for every optional setting. */
export const MIMIR_DEFAULTS = {
  mode: 'monolithic',
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

/** Mimir's image sets no user (it would run as root); any non-root user works with fsGroup. */
export const MIMIR: DatabaseSpec = { name: 'mimir', image: 'mimir', httpPort: 8080, grpcPort: 9095, runAsUser: 10001, dataPath: '/data', configDir: '/etc/mimir', goMemoryLimit: true };
const DATA = MIMIR.dataPath;
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

type ResolvedMimir = ReturnType<typeof resolve>;
function resolve(props: MimirProps) {
  return withDefaults(props, MIMIR_DEFAULTS);
}

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

const SERVER = { http_listen_port: MIMIR.httpPort, grpc_listen_port: MIMIR.grpcPort, log_level: 'info' };
const FALLBACK_CONFIG = `${MIMIR.configDir}/${ALERTMANAGER_FALLBACK_FILE}`;

/** The configuration of a single-binary Mimir (classic write path, no Kafka) on its own volume. */
export function mimirConfig(props: ResolvedMimir): object {
  return {
    multitenancy_enabled: true,
    server: SERVER,
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
    alertmanager: { data_dir: `${DATA}/alertmanager`, sharding_ring: { replication_factor: 1 }, fallback_config_file: FALLBACK_CONFIG },
    ingester: { ring: { replication_factor: 1 } },
    store_gateway: { sharding_ring: { replication_factor: 1 } },
    // De-duplicates the samples of Prometheus replicas (see HA_CLUSTER_LABEL).
    distributor: { ha_tracker: HA_TRACKER },
    limits: limits(props, `http://localhost:${MIMIR.httpPort}${MIMIR_ALERTMANAGER_PREFIX}`),
    usage_stats: { enabled: false },
  };
}

function limits(props: ResolvedMimir, alertmanagerUrl: string): object {
  return {
    compactor_blocks_retention_period: retentionHours(props.retention),
    ingestion_rate: props.ingestionRate,
    ingestion_burst_size: props.ingestionBurstSize,
    max_global_series_per_user: props.maxGlobalSeriesPerUser,
    max_global_exemplars_per_user: props.maxGlobalExemplarsPerUser,
    // OTLP exponential histograms arrive as native histograms.
    native_histograms_ingestion_enabled: true,
    accept_ha_samples: true,
    ha_cluster_label: HA_CLUSTER_LABEL,
    ha_replica_label: HA_REPLICA_LABEL,
    // Where the ruler sends alerts; plain HTTP inside the cluster (the default is TLS).
    ruler_alertmanager_client_config: { alertmanager_url: alertmanagerUrl, tls_enabled: false },
  };
}

/** How Mimir names the object-store settings; its buckets sit in each store, under BUCKET_KEY. */
const MIMIR_STORE: ObjectStoreDialect = {
  s3: { accessKeyId: 'access_key_id', secretAccessKey: 'secret_access_key', pathStyle: { key: 'bucket_lookup_type', value: 'path' } },
  gcs: { serviceAccount: 'service_account' },
  azure: { accountName: 'account_name', accountKey: 'account_key' },
};
const BUCKET_KEY = { s3: 'bucket_name', gcs: 'bucket_name', azure: 'container_name' } as const;

/** `common.storage` plus the bucket of each store: blocks, rules and Alertmanager state apart. */
function mimirObjectStorage(storage: ObjectStorage): object {
  const inEachStore = (bucket: string) => ({ [storage.provider]: { [BUCKET_KEY[storage.provider]]: bucket } });
  return {
    common: { storage: { backend: storage.provider, [storage.provider]: objectStoreClient(storage, MIMIR_STORE) } },
    blocks_storage: { ...inEachStore(bucketFor(storage, 'metrics')), tsdb: { dir: `${DATA}/tsdb` }, bucket_store: { sync_dir: `${DATA}/tsdb-sync` } },
    ruler_storage: inEachStore(bucketFor(storage, 'metricsRuler')),
    alertmanager_storage: inEachStore(bucketFor(storage, 'metricsAlertmanager')),
  };
}


/** Ring zones of the ingesters: each partition is consumed by one ingester in each. */
export const INGESTER_ZONES = 2;
/**
 * Ingesters of one zone restarted at once. The other zone serves every partition meanwhile, and
 * a restarted ingester replays its partition from Kafka; a few at a time bound the catch-up load.
 */
const INGESTER_MAX_UNAVAILABLE_PER_ZONE = 2;

/** The configuration every component of a scalable Mimir (ingest storage) reads. */
export function mimirScalableConfig(props: ResolvedMimir, objectStorage: ObjectStorage, kafka: KafkaSettings): object {
  const at = new DatabaseAddresses<MimirTarget>(MIMIR, props.namespace);
  const [user, password] = KAFKA_SECRET_KEYS;
  const scheduler = at.grpc('query-scheduler', true);
  return {
    multitenancy_enabled: true,
    server: SERVER,
    ...mimirObjectStorage(objectStorage),
    // Every component must carry the Kafka settings: validation requires them everywhere.
    ingest_storage: {
      enabled: true,
      kafka: {
        address: kafka.address,
        topic: kafka.topics.metrics,
        ...(kafka.saslSecret
          ? { sasl_mechanism: kafka.saslMechanism ?? KAFKA_DEFAULT_SASL_MECHANISM, sasl_username: fromEnv(user), sasl_password: fromEnv(password) }
          : {}),
        ...(kafka.tls ? { tls_enabled: true, ...(kafka.tls.caSecret ? { tls_ca_path: `${KAFKA_CA_DIR}/${KAFKA_CA_KEY}` } : {}) } : {}),
        auto_create_topic_enabled: false,
      },
    },
    memberlist: at.memberlist(),
    ingester: { ring: { zone_awareness_enabled: true } },
    frontend: { scheduler_address: scheduler },
    frontend_worker: { scheduler_address: scheduler },
    store_gateway: { sharding_ring: { replication_factor: 3 } },
    compactor: { data_dir: `${DATA}/compactor` },
    activity_tracker: { filepath: `${DATA}/metrics-activity.log` },
    // With ingest storage, rules are evaluated through the query path.
    ruler: { rule_path: `${DATA}/ruler`, query_frontend: { address: `dns:///${at.grpc('query-frontend', true)}` } },
    alertmanager: { data_dir: `${DATA}/alertmanager`, sharding_ring: { replication_factor: 3 }, fallback_config_file: FALLBACK_CONFIG },
    // Pushes wait for Kafka to acknowledge: upstream's ingest-storage setting, above the 2s default.
    distributor: { ha_tracker: HA_TRACKER, remote_timeout: '5s' },
    limits: limits(props, `${at.http('alertmanager')}${MIMIR_ALERTMANAGER_PREFIX}`),
    usage_stats: { enabled: false },
  };
}

/**
 * Mimir, the long-term metrics store: multi-tenant, Prometheus-compatible query API, retention
 * enforced by its compactor, with its Alertmanager. Monolithic: one binary
 * (`-target=all,alertmanager`) on a volume. Scalable: its microservices on object storage, writes
 * through Kafka (ingest storage), ingesters in two zones.
 */
export class Mimir extends Construct {
  readonly pods: PodPeer;
  /** Its pods, as dashboards select them. */
  readonly scope: WorkloadScope;
  /** Zoned StatefulSets the rollout-operator rolls one zone after another (scalable mode). */
  readonly rolloutGroups: readonly string[];
  /** The Prometheus-compatible query API: the query frontends, under /prometheus. */
  readonly prometheusApi: HttpApi;
  /** The Alertmanager API (Grafana adds /alertmanager itself). */
  readonly alertmanagerApi: HttpApi;
  /** Where Prometheus-compatible writers send samples, as the environment's tenant. */
  readonly remoteWrite: RemoteWriteTarget;

  constructor(scope: Construct, id: string, given: MimirProps) {
    super(scope, id);
    const props = resolve(given);
    const volume = { name: 'data', size: props.storageSize, storageClassName: props.storageClassName };
    const configFiles = { [ALERTMANAGER_FALLBACK_FILE]: alertmanagerFallbackConfig() };
    const db = new Database(this, 'mimir', {
      spec: MIMIR,
      namespace: props.namespace,
      wiring: props.wiring,
      highAvailability: props.highAvailability,
      ...(props.mode === 'monolithic'
        ? { singleBinary: { config: mimirConfig(props), configFiles, target: 'all,alertmanager', storage: volume, resources: props.resources } }
        : { microservices: this.microservices(props, volume, configFiles) }),
    });
    this.pods = db.pods;
    this.scope = db.scope;
    this.rolloutGroups = db.rolloutGroups;
    this.prometheusApi = new HttpApi(db.endpoint('query-frontend'), MIMIR_PROMETHEUS_PREFIX);
    this.alertmanagerApi = new HttpApi(db.endpoint('alertmanager'), '');
    this.remoteWrite = {
      api: new HttpApi(db.endpoint('distributor'), MIMIR_PUSH_PATH),
      tenant: props.tenant,
      deduplication: { clusterLabel: HA_CLUSTER_LABEL, replicaLabel: HA_REPLICA_LABEL },
    };
  }

  private microservices(props: ResolvedMimir, volume: { name: string; size: string; storageClassName?: string }, configFiles: Record<string, string>) {
    // The configuration rules (lib/mimir/rules.ts) guarantee both in scalable mode.
    const objectStorage = props.objectStorage!;
    const kafka = props.kafka!;
    const component = (target: MimirTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, MIMIR_DEFAULTS.components, extra);
    return {
      config: mimirScalableConfig(props, objectStorage, kafka),
      configFiles,
      env: [...credentialEnv(objectStorage), ...kafkaEnv(kafka)],
      extraVolumes: [kafkaCaVolume(kafka)].filter((v) => v !== undefined),
      components: [
        // Keeps serving while clients drop it from their pools, and drains long-lived connections.
        component('distributor', { extraArgs: ['-shutdown-delay=90s', '-server.grpc.keepalive.max-connection-age=60s'], terminationGracePeriodSeconds: 100 }),
        ...zonedPartitionConsumers({
          target: 'ingester',
          zones: INGESTER_ZONES,
          nodeZones: props.availabilityZones,
          partitions: kafka.partitions.metrics ?? 0,
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
    };
  }
}
