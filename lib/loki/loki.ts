import { Construct } from 'constructs';
import { Database, DatabaseAddresses, DatabaseSpec, MicroserviceSpec, sizedComponent, StorageBackendContext, StorageBackendSettings } from '../common/database';
import { withDefaults } from '../common/defaults';
import { retentionHours } from '../common/durations';
import { HttpApi, PodPeer, WorkloadScope } from '../common/endpoints';
import { bucketFor, credentialEnv, ObjectStorage, objectStoreClient, ObjectStoreDialect } from '../common/object-storage';
import { mebibytes, parseQuantity, ResourceSpec } from '../common/resources';
import { zonedStatefulSets } from '../common/zones';

/** The components of Loki's microservices mode, as `-target` names them. */
export const LOKI_TARGETS = ['distributor', 'ingester', 'querier', 'query-frontend', 'query-scheduler', 'index-gateway', 'compactor', 'pattern-ingester'] as const;
export type LokiTarget = (typeof LOKI_TARGETS)[number];

/** What an environment sets for Loki (`loki:` in its config). */
export interface LokiSettings extends StorageBackendSettings<LokiTarget> {
  /** Per-tenant ingestion rate, MB/s (`limits_config.ingestion_rate_mb`). @default 8 */
  readonly ingestionRateMb?: number;
  /** Per-tenant burst, MB (`limits_config.ingestion_burst_size_mb`). @default 16 */
  readonly ingestionBurstSizeMb?: number;
  /** Active streams per tenant (`limits_config.max_global_streams_per_user`). @default 10000 */
  readonly maxGlobalStreamsPerUser?: number;
}

/**
 * Loki as the charts build it. With highAvailability and the cluster's availability zones,
 * scalable Loki runs zone-aware ingesters in three zones: each stream has one copy per zone, so
 * a zone can be lost or rolled at once.
 */
export interface LokiProps extends LokiSettings, StorageBackendContext {}

/** Loki's defaults for every optional setting. */
export const LOKI_DEFAULTS = {
  mode: 'monolithic',
  retention: '30d',
  storageSize: '20Gi',
  resources: { cpuRequest: '200m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
  ingestionRateMb: 8,
  ingestionBurstSizeMb: 16,
  maxGlobalStreamsPerUser: 10_000,
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

/** The image's `loki` user (cmd/loki/Dockerfile). */
export const LOKI: DatabaseSpec = { name: 'loki', image: 'loki', httpPort: 3100, grpcPort: 9095, runAsUser: 10001, dataPath: '/var/loki', configDir: '/etc/loki', goMemoryLimit: true };
const DATA = LOKI.dataPath;

type ResolvedLoki = ReturnType<typeof resolve>;
function resolve(props: LokiProps) {
  return withDefaults(props, LOKI_DEFAULTS);
}

/**
 * The first day of the index schema. Fixed, never "today": moving it would orphan the index of
 * every day before it. A later schema change appends a new period instead.
 */
const SCHEMA_START = '2024-04-01';

/** Paths of Loki's HTTP API that other components call. */
export const LOKI_PUSH_PATH = '/loki/api/v1/push';
export const LOKI_OTLP_PATH = '/otlp';

function limits(props: ResolvedLoki): object {
  return {
    retention_period: retentionHours(props.retention),
    ingestion_rate_mb: props.ingestionRateMb,
    ingestion_burst_size_mb: props.ingestionBurstSizeMb,
    max_global_streams_per_user: props.maxGlobalStreamsPerUser,
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
  http_listen_port: LOKI.httpPort,
  grpc_listen_port: LOKI.grpcPort,
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
export function lokiConfig(props: ResolvedLoki): object {
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
    ingester: wal(props.resources),
    compactor: { working_directory: `${DATA}/compactor`, retention_enabled: true, delete_request_store: 'filesystem' },
    limits_config: limits(props),
    // Patterns power Grafana's Logs Drilldown.
    pattern_ingester: { enabled: true },
    analytics: { reporting_enabled: false },
  };
}

/** How Loki names the object-store settings (its bucket beside them). */
const LOKI_STORE: ObjectStoreDialect = {
  s3: { bucket: 'bucketnames', accessKeyId: 'access_key_id', secretAccessKey: 'secret_access_key', pathStyle: { boolean: 's3forcepathstyle' } },
  gcs: { bucket: 'bucket_name', serviceAccount: 'service_account' },
  azure: { bucket: 'container_name', accountName: 'account_name', accountKey: 'account_key' },
};

/** Ring zones of zone-aware ingesters: one per copy of a stream (replication factor 3). */
export const INGESTER_ZONES = 3;
/** Zone-aware ingesters when highly available (the cluster's zones given). */
function zoneAware(props: ResolvedLoki): boolean {
  return props.highAvailability === true && props.availabilityZones !== undefined;
}

/** The configuration every component of a scalable Loki reads. */
export function lokiScalableConfig(props: ResolvedLoki, objectStorage: ObjectStorage): object {
  const at = new DatabaseAddresses<LokiTarget>(LOKI, props.namespace);
  const objectStore = objectStorage.provider;
  const scheduler = at.grpc('query-scheduler', true);
  return {
    auth_enabled: true,
    server: SERVER,
    common: {
      path_prefix: DATA,
      replication_factor: 3,
      ring: { kvstore: { store: 'memberlist' } },
      storage: { [objectStore]: objectStoreClient(objectStorage, LOKI_STORE, bucketFor(objectStorage, 'logs')) },
      compactor_address: at.http('compactor'),
    },
    memberlist: at.memberlist(),
    schema_config: schema(objectStore),
    storage_config: {
      tsdb_shipper: { index_gateway_client: { server_address: `dns+${at.grpc('index-gateway', true)}` } },
    },
    ingester: {
      ...wal(props.components.ingester?.resources ?? LOKI_DEFAULTS.components.ingester.resources),
      // Zone-aware: each stream's replicas in different ingester zones; tokens kept across restarts.
      ...(zoneAware(props)
        ? { lifecycler: { ring: { zone_awareness_enabled: true }, unregister_on_shutdown: false, tokens_file_path: `${DATA}/ring-tokens` } }
        : {}),
    },
    // Live tail is a websocket the frontends' query path cannot carry: they hand it to the queriers.
    frontend: { scheduler_address: scheduler, tail_proxy_url: at.http('querier') },
    frontend_worker: { scheduler_address: scheduler },
    compactor: { working_directory: `${DATA}/compactor`, retention_enabled: true, delete_request_store: objectStore },
    limits_config: limits(props),
    pattern_ingester: { enabled: true },
    analytics: { reporting_enabled: false },
  };
}

/**
 * Loki, the log store: multi-tenant, retention enforced by its compactor. Monolithic: one binary
 * (`-target=all`) on a volume. Scalable: its microservices on object storage.
 */
export class Loki extends Construct {
  readonly pods: PodPeer;
  /** Its pods, as dashboards select them. */
  readonly scope: WorkloadScope;
  /** Zoned StatefulSets the rollout-operator rolls one zone after another (zone-aware ingesters). */
  readonly rolloutGroups: readonly string[];
  /** Where logs are pushed: the distributors' push API. */
  readonly pushApi: HttpApi;
  /** Where LogQL queries go: the query frontends. */
  readonly queryApi: HttpApi;

  constructor(scope: Construct, id: string, given: LokiProps) {
    super(scope, id);
    const props = resolve(given);
    const volume = { name: 'data', size: props.storageSize, storageClassName: props.storageClassName };
    const db = new Database(this, 'loki', {
      spec: LOKI,
      namespace: props.namespace,
      wiring: props.wiring,
      highAvailability: props.highAvailability,
      ...(props.mode === 'monolithic'
        ? { singleBinary: { config: lokiConfig(props), target: 'all', storage: volume, resources: props.resources } }
        : { microservices: this.microservices(props, volume) }),
    });
    this.pods = db.pods;
    this.scope = db.scope;
    this.rolloutGroups = db.rolloutGroups;
    this.pushApi = new HttpApi(db.endpoint('distributor'), LOKI_PUSH_PATH);
    this.queryApi = new HttpApi(db.endpoint('query-frontend'), '');
  }

  private microservices(props: ResolvedLoki, volume: { name: string; size: string; storageClassName?: string }) {
    // The configuration rules (lib/loki/rules.ts) guarantee object storage in scalable mode.
    const objectStorage = props.objectStorage!;
    const component = (target: LokiTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, LOKI_DEFAULTS.components, extra);
    const ingestersPerZone = Math.ceil(component('ingester').replicas / INGESTER_ZONES);
    return {
      config: lokiScalableConfig(props, objectStorage),
      env: credentialEnv(objectStorage),
      components: [
        component('distributor'),
        // Ingesters flush their chunks on shutdown: give them time.
        ...(zoneAware(props)
          ? zonedStatefulSets({
              target: 'ingester',
              zones: INGESTER_ZONES,
              nodeZones: props.availabilityZones,
              replicasPerZone: ingestersPerZone,
              zoneFlag: '-ingester.availability-zone',
              // Two zones keep every stream's write quorum: a whole zone may restart at once.
              maxUnavailablePerZone: ingestersPerZone,
              spec: { ...component('ingester'), storage: volume, terminationGracePeriodSeconds: 300 },
            })
          : [component('ingester', { kind: 'StatefulSet', storage: volume, terminationGracePeriodSeconds: 300 })]),
        component('querier'),
        component('query-frontend'),
        component('query-scheduler'),
        component('index-gateway', { kind: 'StatefulSet', storage: volume }),
        // One compactor per cluster: it alone applies retention and deletes.
        component('compactor', { kind: 'StatefulSet', storage: volume }),
        component('pattern-ingester', { kind: 'StatefulSet' }),
      ],
    };
  }
}
