import { Construct } from 'constructs';
import { retentionHours } from '../common/durations';
import { Endpoint, PodPeer } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { componentHost, ComponentSizing, memberlistConfig, Microservices, MicroserviceSpec, sizedComponent } from '../common/microservices';
import { bucketFor, credentialEnv, fromEnv, OBJECT_STORAGE_SECRET_KEYS, ObjectStorage } from '../common/object-storage';
import { mebibytes, parseQuantity, ResourceSpec } from '../common/resources';
import { zonedStatefulSets } from '../common/zones';
import { DeploymentMode, SingleBinary, StorageBackendProps } from '../common/single-binary';

/** The components of Loki's microservices mode, as `-target` names them. */
export const LOKI_TARGETS = ['distributor', 'ingester', 'querier', 'query-frontend', 'query-scheduler', 'index-gateway', 'compactor', 'pattern-ingester'] as const;
export type LokiTarget = (typeof LOKI_TARGETS)[number];

export interface LokiProps extends StorageBackendProps {
  /** Per-tenant ingestion rate, MB/s (`limits_config.ingestion_rate_mb`). */
  readonly ingestionRateMb?: number;
  /** Per-tenant burst, MB (`limits_config.ingestion_burst_size_mb`). */
  readonly ingestionBurstSizeMb?: number;
  /** Active streams per tenant (`limits_config.max_global_streams_per_user`). */
  readonly maxGlobalStreamsPerUser?: number;
  /** `monolithic`: one binary on a volume. `scalable`: microservices on object storage. */
  readonly mode?: DeploymentMode;
  /** Where chunks and index live in scalable mode (bucket `buckets.logs`). Required for `scalable`. */
  readonly objectStorage?: ObjectStorage;
  /** Scalable mode: PodDisruptionBudgets and spreading across zones and nodes. @default false */
  readonly highAvailability?: boolean;
  /** Scalable mode: replicas and resources per component. @default LOKI_DEFAULTS.components */
  readonly components?: ComponentSizing<LokiTarget>;
  /**
   * Scalable and highly available: the availability zones the three ingester zones are pinned
   * to, in order. Streams are then written to one ingester in each zone, so a zone can be lost
   * or rolled at once. @default - one ingester StatefulSet, not zone-aware
   */
  readonly availabilityZones?: readonly string[];
}

/** Loki's defaults for every optional prop. */
export const LOKI_DEFAULTS = {
  mode: 'monolithic' as DeploymentMode,
  retention: '30d',
  storageSize: '20Gi',
  resources: { cpuRequest: '200m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
  ingestionRateMb: 8,
  ingestionBurstSizeMb: 16,
  maxGlobalStreamsPerUser: 10_000,
  /** Scalable mode: replicas and resources per component. */
  components: {
    distributor: { replicas: 3, resources: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '1Gi' } },
    ingester: { replicas: 3, resources: { cpuRequest: '500m', memoryRequest: '2Gi', memoryLimit: '4Gi' } },
    querier: { replicas: 3, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    'query-frontend': { replicas: 2, resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' } },
    'query-scheduler': { replicas: 2, resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi' } },
    'index-gateway': { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    compactor: { replicas: 1, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    'pattern-ingester': { replicas: 2, resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' } },
  } satisfies Record<LokiTarget, { replicas: number; resources: ResourceSpec }>,
} as const;

const IDENTITY: ComponentIdentity = { name: 'loki', instance: 'loki', component: 'single-binary', image: 'loki' };
const HTTP_PORT = 3100;
const GRPC_PORT = 9095;
/** The image's `loki` user (cmd/loki/Dockerfile). */
const RUN_AS_USER = 10001;
const DATA = '/var/loki';
/**
 * The first day of the index schema. Fixed, never "today": moving it would orphan the index of
 * every day before it. A later schema change appends a new period instead.
 */
const SCHEMA_START = '2024-04-01';

/** Paths of Loki's HTTP API that other components call. */
export const LOKI_PUSH_PATH = '/loki/api/v1/push';
export const LOKI_OTLP_PATH = '/otlp';

function limits(props: LokiProps): object {
  return {
    retention_period: retentionHours(props.retention ?? LOKI_DEFAULTS.retention),
    ingestion_rate_mb: props.ingestionRateMb ?? LOKI_DEFAULTS.ingestionRateMb,
    ingestion_burst_size_mb: props.ingestionBurstSizeMb ?? LOKI_DEFAULTS.ingestionBurstSizeMb,
    max_global_streams_per_user: props.maxGlobalStreamsPerUser ?? LOKI_DEFAULTS.maxGlobalStreamsPerUser,
    allow_structured_metadata: true,
    volume_enabled: true,
    // Matches the HTTP server's write timeout below; Loki's default (1m) outlived it.
    query_timeout: QUERY_TIMEOUT,
  };
}

function schema(objectStore: string): object {
  return {
    configs: [{ from: SCHEMA_START, store: 'tsdb', object_store: objectStore, schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
  };
}

/** How long a query may run, end to end: the HTTP server, the limit and Grafana's datasource agree on it. */
export const LOKI_QUERY_TIMEOUT_SECONDS = 300;
const QUERY_TIMEOUT = `${LOKI_QUERY_TIMEOUT_SECONDS}s`;
/** Query results travel from queriers to frontends over gRPC; the 4 MiB default cuts large ones off. */
const GRPC_MESSAGE_BYTES = 100 * 2 ** 20;

const SERVER = {
  http_listen_port: HTTP_PORT,
  grpc_listen_port: GRPC_PORT,
  log_level: 'info',
  http_server_read_timeout: QUERY_TIMEOUT,
  http_server_write_timeout: QUERY_TIMEOUT,
  grpc_server_max_recv_msg_size: GRPC_MESSAGE_BYTES,
  grpc_server_max_send_msg_size: GRPC_MESSAGE_BYTES,
};

/**
 * The ingester's WAL, replayed after a crash into memory up to a ceiling: Loki's default (4GB)
 * meets or passes the memory limit, and an OOM kill would repeat at every start. Half the limit.
 */
function wal(ingester: ResourceSpec): object {
  return { wal: { dir: `${DATA}/wal`, replay_memory_ceiling: mebibytes(parseQuantity(ingester.memoryLimit)! / 2) } };
}

/** The configuration of a single-binary Loki storing on its own volume. */
export function lokiConfig(props: LokiProps): object {
  return {
    auth_enabled: true,
    server: SERVER,
    common: {
      path_prefix: DATA,
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: `${DATA}/chunks`, rules_directory: `${DATA}/rules` } },
    },
    schema_config: schema('filesystem'),
    ingester: wal(props.resources ?? LOKI_DEFAULTS.resources),
    compactor: { working_directory: `${DATA}/compactor`, retention_enabled: true, delete_request_store: 'filesystem' },
    limits_config: limits(props),
    // Patterns power Grafana's Logs Drilldown.
    pattern_ingester: { enabled: true },
    analytics: { reporting_enabled: false },
  };
}

/** `common.storage` for an object store, credentials as `${ENV}` references. */
function lokiObjectStorage(storage: ObjectStorage): { config: object; objectStore: string } {
  const bucket = bucketFor(storage, 'logs');
  const secret = storage.credentialsSecret !== undefined;
  switch (storage.provider) {
    case 's3': {
      const [accessKey, secretKey] = OBJECT_STORAGE_SECRET_KEYS.s3;
      return {
        objectStore: 's3',
        config: {
          s3: {
            endpoint: storage.endpoint,
            bucketnames: bucket,
            ...(storage.region ? { region: storage.region } : {}),
            ...(secret ? { access_key_id: fromEnv(accessKey), secret_access_key: fromEnv(secretKey) } : {}),
            insecure: storage.insecure ?? false,
            s3forcepathstyle: storage.forcePathStyle ?? false,
          },
        },
      };
    }
    case 'gcs':
      return {
        objectStore: 'gcs',
        config: { gcs: { bucket_name: bucket, ...(secret ? { service_account: fromEnv(OBJECT_STORAGE_SECRET_KEYS.gcs[0]) } : {}) } },
      };
    case 'azure':
      return {
        objectStore: 'azure',
        config: {
          azure: {
            account_name: storage.accountName,
            container_name: bucket,
            ...(secret ? { account_key: fromEnv(OBJECT_STORAGE_SECRET_KEYS.azure[0]) } : {}),
          },
        },
      };
  }
}

/** Ring zones of zone-aware ingesters: one per copy of a stream (replication factor 3). */
export const INGESTER_ZONES = 3;
/** Zone-aware ingesters when highly available (the cluster's zones given). */
function zoneAware(props: LokiProps): boolean {
  return (props.highAvailability ?? false) && props.availabilityZones !== undefined;
}

/** The configuration every component of a scalable Loki reads. */
export function lokiScalableConfig(props: LokiProps & { readonly objectStorage: ObjectStorage }): object {
  const { namespace } = props;
  const storage = lokiObjectStorage(props.objectStorage);
  const scheduler = `${componentHost('loki', 'query-scheduler', namespace, true)}:${GRPC_PORT}`;
  return {
    auth_enabled: true,
    server: SERVER,
    common: {
      path_prefix: DATA,
      replication_factor: 3,
      ring: { kvstore: { store: 'memberlist' } },
      storage: storage.config,
      compactor_address: `http://${componentHost('loki', 'compactor', namespace)}:${HTTP_PORT}`,
    },
    memberlist: memberlistConfig('loki', namespace),
    schema_config: schema(storage.objectStore),
    storage_config: {
      tsdb_shipper: { index_gateway_client: { server_address: `dns+${componentHost('loki', 'index-gateway', namespace, true)}:${GRPC_PORT}` } },
    },
    ingester: {
      ...wal(props.components?.ingester?.resources ?? LOKI_DEFAULTS.components.ingester.resources),
      // Zone-aware: each stream's replicas in different ingester zones; tokens kept across restarts.
      ...(zoneAware(props)
        ? { lifecycler: { ring: { zone_awareness_enabled: true }, unregister_on_shutdown: false, tokens_file_path: `${DATA}/ring-tokens` } }
        : {}),
    },
    // Live tail is a websocket the frontends' query path cannot carry: they hand it to the queriers.
    frontend: { scheduler_address: scheduler, tail_proxy_url: `http://${componentHost('loki', 'querier', namespace)}:${HTTP_PORT}` },
    frontend_worker: { scheduler_address: scheduler },
    compactor: { working_directory: `${DATA}/compactor`, retention_enabled: true, delete_request_store: storage.objectStore },
    limits_config: limits(props),
    pattern_ingester: { enabled: true },
    analytics: { reporting_enabled: false },
  };
}

/**
 * Loki, the log store, run as one binary (`-target=all`) on a PersistentVolumeClaim:
 * multi-tenant, with retention enforced by its compactor.
 */
export class Loki extends Construct {
  readonly pods: PodPeer;
  /** Zoned StatefulSets the rollout-operator rolls one zone after another (zone-aware ingesters). */
  readonly rolloutGroups: readonly string[];
  /** Where logs are pushed (`/loki/api/v1/push`, `/otlp`): the distributors. */
  readonly push: Endpoint;
  /** Where LogQL queries go: the query frontends. */
  readonly query: Endpoint;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
    const mode = props.mode ?? LOKI_DEFAULTS.mode;
    if (mode === 'monolithic') {
      const binary = new SingleBinary(this, 'loki', {
        identity: IDENTITY,
        namespace: props.namespace,
        wiring: props.wiring,
        config: lokiConfig(props),
        configDir: '/etc/loki',
        target: 'all',
        httpPort: HTTP_PORT,
        grpcPort: GRPC_PORT,
        dataPath: DATA,
        storage: { name: 'data', size: props.storageSize ?? LOKI_DEFAULTS.storageSize, storageClassName: props.storageClassName },
        runAsUser: RUN_AS_USER,
        resources: props.resources ?? LOKI_DEFAULTS.resources,
        goMemoryLimit: true,
      });
      this.pods = binary.pods;
      this.rolloutGroups = [];
      this.push = binary.service.endpoint('http');
      this.query = binary.service.endpoint('http');
      return;
    }
    if (!props.objectStorage) throw new Error("Loki: 'mode' scalable needs 'objectStorage' (chunks and index live there)");
    const withStorage = { ...props, objectStorage: props.objectStorage };
    const size = props.storageSize ?? LOKI_DEFAULTS.storageSize;
    const volume = { name: 'data', size, storageClassName: props.storageClassName };
    const component = (target: LokiTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, LOKI_DEFAULTS.components, extra);
    const loki = new Microservices(this, 'loki', {
      name: 'loki',
      image: 'loki',
      namespace: props.namespace,
      wiring: props.wiring,
      config: lokiScalableConfig(withStorage),
      configDir: '/etc/loki',
      httpPort: HTTP_PORT,
      grpcPort: GRPC_PORT,
      dataPath: DATA,
      runAsUser: RUN_AS_USER,
      env: credentialEnv(props.objectStorage),
      goMemoryLimit: true,
      highAvailability: props.highAvailability ?? false,
      components: [
        component('distributor', {}),
        // Ingesters flush their chunks on shutdown: give them time.
        ...(zoneAware(props)
          ? zonedStatefulSets({
              target: 'ingester',
              zones: INGESTER_ZONES,
              nodeZones: props.availabilityZones,
              replicasPerZone: Math.ceil(component('ingester').replicas / INGESTER_ZONES),
              zoneFlag: '-ingester.availability-zone',
              // Two zones keep every stream's write quorum: a whole zone may restart at once.
              maxUnavailablePerZone: Math.ceil(component('ingester').replicas / INGESTER_ZONES),
              spec: { ...component('ingester'), storage: volume, terminationGracePeriodSeconds: 300 },
            })
          : [component('ingester', { kind: 'StatefulSet', storage: volume, terminationGracePeriodSeconds: 300 })]),
        component('querier', {}),
        component('query-frontend', {}),
        component('query-scheduler', {}),
        component('index-gateway', { kind: 'StatefulSet', storage: volume }),
        // One compactor per cluster: it alone applies retention and deletes.
        component('compactor', { kind: 'StatefulSet', storage: volume }),
        component('pattern-ingester', { kind: 'StatefulSet' }),
      ],
    });
    this.pods = loki.allPods;
    this.rolloutGroups = loki.rolloutGroups;
    this.push = loki.component('distributor').service.endpoint('http');
    this.query = loki.component('query-frontend').service.endpoint('http');
  }
}
