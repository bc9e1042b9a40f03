import { Construct } from 'constructs';
import { Database, DatabaseAddresses, DatabaseSpec, MicroserviceSpec, sizedComponent, StorageBackendContext, StorageBackendSettings } from '../common/database';
import { withDefaults } from '../common/defaults';
import { retentionHours } from '../common/durations';
import { HttpApi, PodPeer, WorkloadScope } from '../common/endpoints';
import { bucketFor, credentialEnv, fromEnv, ObjectStorage, objectStoreClient, ObjectStoreDialect } from '../common/object-storage';
import { ResourceSpec } from '../common/resources';

/** The components of Pyroscope's v2 microservices mode, as `-target` names them. */
export const PYROSCOPE_TARGETS = ['distributor', 'segment-writer', 'metastore', 'compaction-worker', 'query-frontend', 'query-backend', 'admin'] as const;
export type PyroscopeTarget = (typeof PYROSCOPE_TARGETS)[number];

/** What an environment sets for Pyroscope (`pyroscope:` in its config). */
export interface PyroscopeSettings extends StorageBackendSettings<PyroscopeTarget> {
  /** Per-tenant ingestion rate, MB/s (`limits.ingestion_rate_mb`). @default 4 */
  readonly ingestionRateMb?: number;
  /** Per-tenant burst, MB (`limits.ingestion_burst_size_mb`). @default 8 */
  readonly ingestionBurstSizeMb?: number;
}

/** Pyroscope as the charts build it: its settings, and what it is wired to. */
export interface PyroscopeProps extends PyroscopeSettings, StorageBackendContext {
  /**
   * The cluster's DNS domain. The metastore's Raft members name each other by fully qualified
   * pod DNS names, which must equal what DNS SRV discovery returns.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
}

/** Pyroscope's defaults for every optional setting. */
export const PYROSCOPE_DEFAULTS = {
  mode: 'monolithic',
  clusterDomain: 'cluster.local',
  components: {
    distributor: { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '256Mi', memoryLimit: '1Gi' } },
    'segment-writer': { replicas: 3, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    metastore: { replicas: 3, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    'compaction-worker': { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    'query-frontend': { replicas: 2, resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' } },
    'query-backend': { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    admin: { replicas: 1, resources: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi' } },
  } satisfies Record<PyroscopeTarget, { replicas: number; resources: ResourceSpec }>,
  retention: '14d',
  storageSize: '20Gi',
  resources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  ingestionRateMb: 4,
  ingestionBurstSizeMb: 8,
} as const;

/**
 * The image's `pyroscope` user (cmd/pyroscope/Dockerfile). Pyroscope keeps every path relative
 * to its working directory (`./data/...`, including the metastore's Raft snapshots, which follow
 * no other setting): the pod runs in `/` with the volume on `/data`.
 */
export const PYROSCOPE: DatabaseSpec = {
  name: 'pyroscope',
  image: 'pyroscope',
  httpPort: 4040,
  grpcPort: 9095,
  runAsUser: 10001,
  dataPath: '/data',
  configDir: '/etc/pyroscope',
  workingDir: '/',
  goMemoryLimit: true,
};

type ResolvedPyroscope = ReturnType<typeof resolve>;
function resolve(props: PyroscopeProps) {
  return withDefaults(props, PYROSCOPE_DEFAULTS);
}

function common(props: ResolvedPyroscope): object {
  const retention = retentionHours(props.retention);
  return {
    multitenancy_enabled: true,
    server: { http_listen_port: PYROSCOPE.httpPort, grpc_listen_port: PYROSCOPE.grpcPort, log_level: 'info' },
    // The v2 architecture alone (segment writer + metastore), as upstream's chart runs it.
    architecture_storage: 'v2',
    limits: {
      ingestion_rate_mb: props.ingestionRateMb,
      ingestion_burst_size_mb: props.ingestionBurstSizeMb,
      retention_period: retention,
      // The defaults (7d lookback, 24h per query) would hide most of a longer retention.
      max_query_lookback: retention,
      max_query_length: retention,
    },
    // The server would otherwise profile itself into its own tenant-less store.
    self_profiling: { disable_push: true },
    analytics: { reporting_enabled: false },
  };
}

/** The configuration of a single-binary Pyroscope (v2 storage architecture) on its own volume. */
export function pyroscopeConfig(props: ResolvedPyroscope): object {
  return { ...common(props), storage: { backend: 'filesystem' } };
}

/** How Pyroscope names the object-store settings (Thanos objstore, as Mimir's, but path style a boolean). */
const PYROSCOPE_STORE: ObjectStoreDialect = {
  s3: { bucket: 'bucket_name', accessKeyId: 'access_key_id', secretAccessKey: 'secret_access_key', pathStyle: { boolean: 'force_path_style' } },
  gcs: { bucket: 'bucket_name', serviceAccount: 'service_account' },
  azure: { bucket: 'container_name', accountName: 'account_name', accountKey: 'account_key' },
};

/** `storage` for an object store, credentials as `${ENV}` references. */
function profileStorage(storage: ObjectStorage): object {
  return { backend: storage.provider, [storage.provider]: objectStoreClient(storage, PYROSCOPE_STORE, bucketFor(storage, 'profiles')) };
}

/** The port of the metastore's Raft group. */
export const RAFT_PORT = 9099;
/** The environment variable that carries each pod's own name into the shared configuration. */
const POD_NAME = 'POD_NAME';

/** The configuration every component of a scalable Pyroscope reads. */
export function pyroscopeScalableConfig(props: ResolvedPyroscope, objectStorage: ObjectStorage): object {
  const at = new DatabaseAddresses<PyroscopeTarget>(PYROSCOPE, props.namespace);
  // Fully qualified, as DNS SRV answers name them: Raft peers compare these strings.
  const fqdn = (target: PyroscopeTarget) => `${at.host(target, true)}.${props.clusterDomain}.`;
  const self = `${fromEnv(POD_NAME)}.${fqdn('metastore')}:${RAFT_PORT}`;
  return {
    ...common(props),
    storage: profileStorage(objectStorage),
    memberlist: at.memberlist(),
    metastore: {
      // A gRPC resolver that watches the metastore pods through the Kubernetes API.
      address: `kubernetes:///${fqdn('metastore')}:${PYROSCOPE.grpcPort}`,
      raft: {
        bind_address: `:${RAFT_PORT}`,
        server_id: self,
        advertise_address: self,
        bootstrap_peers: [`dnssrvnoa+_raft._tcp.${fqdn('metastore')}`],
        bootstrap_expect_peers: props.components?.metastore?.replicas ?? PYROSCOPE_DEFAULTS.components.metastore.replicas,
      },
    },
    query_backend: { address: `dns:///_grpc._tcp.${fqdn('query-backend')}:${PYROSCOPE.grpcPort}` },
  };
}

/**
 * Pyroscope, the continuous-profiling store, multi-tenant. Monolithic: one binary
 * (`-target=all`) on a volume. Scalable: its v2 microservices (segment writers, a Raft metastore)
 * on object storage.
 */
export class Pyroscope extends Construct {
  readonly pods: PodPeer;
  /** Its pods, as dashboards select them. */
  readonly scope: WorkloadScope;
  /** Where profiles are pushed (`/ingest`, push API): the distributors. */
  readonly pushApi: HttpApi;
  /** Where Grafana queries profiles: the query frontends. */
  readonly queryApi: HttpApi;

  constructor(scope: Construct, id: string, given: PyroscopeProps) {
    super(scope, id);
    const props = resolve(given);
    const volume = { name: 'data', size: props.storageSize, storageClassName: props.storageClassName };
    const db = new Database(this, 'pyroscope', {
      spec: PYROSCOPE,
      namespace: props.namespace,
      wiring: props.wiring,
      highAvailability: props.highAvailability,
      ...(props.mode === 'monolithic'
        ? { singleBinary: { config: pyroscopeConfig(props), target: 'all', storage: volume, resources: props.resources } }
        : { microservices: this.microservices(props, volume) }),
    });
    this.pods = db.pods;
    this.scope = db.scope;
    this.pushApi = new HttpApi(db.endpoint('distributor'), '');
    this.queryApi = new HttpApi(db.endpoint('query-frontend'), '');
  }

  private microservices(props: ResolvedPyroscope, volume: { name: string; size: string; storageClassName?: string }) {
    // The configuration rules (lib/pyroscope/rules.ts) guarantee it in scalable mode.
    const objectStorage = props.objectStorage!;
    const component = (target: PyroscopeTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, PYROSCOPE_DEFAULTS.components, extra);
    return {
      config: pyroscopeScalableConfig(props, objectStorage),
      env: [{ name: POD_NAME, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, ...credentialEnv(objectStorage)],
      apiDiscovery: true,
      components: [
        component('distributor'),
        // Keeps nothing on disk (segments go straight to the bucket); on shutdown it waits 30s for
        // the distributors to stop sending, then flushes.
        component('segment-writer', { kind: 'StatefulSet', terminationGracePeriodSeconds: 600 }),
        // The metadata index, replicated by Raft; members find each other before they are ready.
        component('metastore', {
          kind: 'StatefulSet',
          storage: volume,
          extraPorts: [{ name: 'raft', containerPort: RAFT_PORT }],
          discoverableBeforeReady: true,
          terminationGracePeriodSeconds: 120,
        }),
        // Finishes its running jobs on shutdown; a killed job counts as a failure.
        component('compaction-worker', { kind: 'StatefulSet', terminationGracePeriodSeconds: 1200, ringMember: false }),
        // Grafana reaches the tenant settings and ad-hoc profiles APIs at the query endpoint, as
        // upstream's ingress routes them: the query-frontends serve them too.
        component('query-frontend', { alsoRuns: ['tenant-settings', 'ad-hoc-profiles'] }),
        component('query-backend', { ringMember: false }),
        component('admin', { ringMember: false }),
      ],
    };
  }
}
