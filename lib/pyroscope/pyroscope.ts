import { Construct } from 'constructs';
import { retentionHours } from '../common/durations';
import { Endpoint, PodPeer } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { componentHost, ComponentSizing, memberlistConfig, Microservices, MicroserviceSpec, sizedComponent } from '../common/microservices';
import { bucketFor, credentialEnv, fromEnv, OBJECT_STORAGE_SECRET_KEYS, ObjectStorage } from '../common/object-storage';
import { ResourceSpec } from '../common/resources';
import { DeploymentMode, SingleBinary, StorageBackendProps } from '../common/single-binary';

/** The components of Pyroscope's v2 microservices mode, as `-target` names them. */
export const PYROSCOPE_TARGETS = ['distributor', 'segment-writer', 'metastore', 'compaction-worker', 'query-frontend', 'query-backend', 'admin'] as const;
export type PyroscopeTarget = (typeof PYROSCOPE_TARGETS)[number];

export interface PyroscopeProps extends StorageBackendProps {
  /** `monolithic`: one binary on a volume. `scalable`: the v2 microservices on object storage. */
  readonly mode?: DeploymentMode;
  /** Where profiles live in scalable mode (bucket `buckets.profiles`). Required for `scalable`. */
  readonly objectStorage?: ObjectStorage;
  /** Scalable mode: PodDisruptionBudgets and spreading across zones and nodes. @default false */
  readonly highAvailability?: boolean;
  /**
   * The cluster's DNS domain. The metastore's Raft members name each other by fully qualified
   * pod DNS names, which must equal what DNS SRV discovery returns.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /** Scalable mode: replicas and resources per component. @default PYROSCOPE_DEFAULTS.components */
  readonly components?: ComponentSizing<PyroscopeTarget>;
  /** Per-tenant ingestion rate, MB/s (`limits.ingestion_rate_mb`). */
  readonly ingestionRateMb?: number;
  /** Per-tenant burst, MB (`limits.ingestion_burst_size_mb`). */
  readonly ingestionBurstSizeMb?: number;
}

/** Pyroscope's defaults for every optional prop. */
export const PYROSCOPE_DEFAULTS = {
  mode: 'monolithic' as DeploymentMode,
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

const IDENTITY: ComponentIdentity = { name: 'pyroscope', instance: 'pyroscope', component: 'single-binary', image: 'pyroscope' };
const HTTP_PORT = 4040;
const GRPC_PORT = 9095;
/** The image's `pyroscope` user (cmd/pyroscope/Dockerfile). */
const RUN_AS_USER = 10001;
/**
 * Pyroscope keeps every path relative to its working directory (`./data/...`, including the
 * metastore's Raft snapshots, which follow no other setting): the pod runs in `/` with the
 * volume on `/data`.
 */
const DATA = '/data';

function common(props: PyroscopeProps): object {
  const retention = retentionHours(props.retention ?? PYROSCOPE_DEFAULTS.retention);
  return {
    multitenancy_enabled: true,
    server: { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' },
    // The v2 architecture alone (segment writer + metastore), as upstream's chart runs it.
    architecture_storage: 'v2',
    limits: {
      ingestion_rate_mb: props.ingestionRateMb ?? PYROSCOPE_DEFAULTS.ingestionRateMb,
      ingestion_burst_size_mb: props.ingestionBurstSizeMb ?? PYROSCOPE_DEFAULTS.ingestionBurstSizeMb,
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
export function pyroscopeConfig(props: PyroscopeProps): object {
  return { ...common(props), storage: { backend: 'filesystem' } };
}

/** `storage` for an object store, credentials as `${ENV}` references. */
function profileStorage(storage: ObjectStorage): object {
  const bucket = bucketFor(storage, 'profiles');
  const secret = storage.credentialsSecret !== undefined;
  switch (storage.provider) {
    case 's3': {
      const [accessKey, secretKey] = OBJECT_STORAGE_SECRET_KEYS.s3;
      return {
        backend: 's3',
        s3: {
          bucket_name: bucket,
          endpoint: storage.endpoint,
          ...(storage.region ? { region: storage.region } : {}),
          ...(secret ? { access_key_id: fromEnv(accessKey), secret_access_key: fromEnv(secretKey) } : {}),
          insecure: storage.insecure ?? false,
          force_path_style: storage.forcePathStyle ?? false,
        },
      };
    }
    case 'gcs':
      return { backend: 'gcs', gcs: { bucket_name: bucket, ...(secret ? { service_account: fromEnv(OBJECT_STORAGE_SECRET_KEYS.gcs[0]) } : {}) } };
    case 'azure':
      return {
        backend: 'azure',
        azure: { container_name: bucket, account_name: storage.accountName, ...(secret ? { account_key: fromEnv(OBJECT_STORAGE_SECRET_KEYS.azure[0]) } : {}) },
      };
  }
}

/** The port of the metastore's Raft group. */
export const RAFT_PORT = 9099;
/** The environment variable that carries each pod's own name into the shared configuration. */
const POD_NAME = 'POD_NAME';

export interface PyroscopeScalableInput extends PyroscopeProps {
  readonly objectStorage: ObjectStorage;
}

/** The configuration every component of a scalable Pyroscope reads. */
export function pyroscopeScalableConfig(props: PyroscopeScalableInput): object {
  const { namespace } = props;
  const domain = props.clusterDomain ?? PYROSCOPE_DEFAULTS.clusterDomain;
  // Fully qualified, as DNS SRV answers name them: Raft peers compare these strings.
  const fqdn = (target: string) => `${componentHost('pyroscope', target, namespace, true)}.${domain}.`;
  const metastores = props.components?.metastore?.replicas ?? PYROSCOPE_DEFAULTS.components.metastore.replicas;
  const self = `${fromEnv(POD_NAME)}.${fqdn('metastore')}:${RAFT_PORT}`;
  return {
    ...common(props),
    storage: profileStorage(props.objectStorage),
    memberlist: memberlistConfig('pyroscope', namespace),
    metastore: {
      // A gRPC resolver that watches the metastore pods through the Kubernetes API.
      address: `kubernetes:///${fqdn('metastore')}:${GRPC_PORT}`,
      raft: {
        bind_address: `:${RAFT_PORT}`,
        server_id: self,
        advertise_address: self,
        bootstrap_peers: [`dnssrvnoa+_raft._tcp.${fqdn('metastore')}`],
        bootstrap_expect_peers: metastores,
      },
    },
    query_backend: { address: `dns:///_grpc._tcp.${fqdn('query-backend')}:${GRPC_PORT}` },
  };
}

/**
 * Pyroscope, the continuous-profiling store, run as one binary (`-target=all`) on a
 * PersistentVolumeClaim, multi-tenant.
 */
export class Pyroscope extends Construct {
  readonly pods: PodPeer;
  /** Where profiles are pushed (`/ingest`, push API): the distributors. */
  readonly push: Endpoint;
  /** Where Grafana queries profiles: the query frontends. */
  readonly query: Endpoint;

  constructor(scope: Construct, id: string, props: PyroscopeProps) {
    super(scope, id);
    const mode = props.mode ?? PYROSCOPE_DEFAULTS.mode;
    if (mode === 'monolithic') {
      const binary = new SingleBinary(this, 'pyroscope', {
        identity: IDENTITY,
        namespace: props.namespace,
        wiring: props.wiring,
        config: pyroscopeConfig(props),
        configDir: '/etc/pyroscope',
        target: 'all',
        httpPort: HTTP_PORT,
        grpcPort: GRPC_PORT,
        dataPath: DATA,
        workingDir: '/',
        storage: { name: 'data', size: props.storageSize ?? PYROSCOPE_DEFAULTS.storageSize, storageClassName: props.storageClassName },
        runAsUser: RUN_AS_USER,
        resources: props.resources ?? PYROSCOPE_DEFAULTS.resources,
        goMemoryLimit: true,
      });
      this.pods = binary.pods;
      this.push = binary.service.endpoint('http');
      this.query = binary.service.endpoint('http');
      return;
    }
    if (!props.objectStorage) throw new Error("Pyroscope: 'mode' scalable needs 'objectStorage' (profiles live there)");
    const metastores = props.components?.metastore?.replicas ?? PYROSCOPE_DEFAULTS.components.metastore.replicas;
    if (metastores % 2 === 0) throw new Error(`Pyroscope: metastore replicas (${metastores}) must be odd: they form a Raft group`);
    if ((props.clusterDomain ?? PYROSCOPE_DEFAULTS.clusterDomain) !== 'cluster.local') {
      // 2.2.1's kubernetes:/// resolver builds metastore addresses with svc.cluster.local. (kuberesolver.go).
      throw new Error(`Pyroscope: 'clusterDomain' ${props.clusterDomain} is not supported in scalable mode by Pyroscope 2.2.1, which assumes cluster.local`);
    }
    const volume = { name: 'data', size: props.storageSize ?? PYROSCOPE_DEFAULTS.storageSize, storageClassName: props.storageClassName };
    const component = (target: PyroscopeTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, PYROSCOPE_DEFAULTS.components, extra);
    const pyroscope = new Microservices(this, 'pyroscope', {
      name: 'pyroscope',
      image: 'pyroscope',
      namespace: props.namespace,
      wiring: props.wiring,
      config: pyroscopeScalableConfig({ ...props, objectStorage: props.objectStorage }),
      configDir: '/etc/pyroscope',
      httpPort: HTTP_PORT,
      grpcPort: GRPC_PORT,
      dataPath: DATA,
      workingDir: '/',
      runAsUser: RUN_AS_USER,
      env: [{ name: POD_NAME, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, ...credentialEnv(props.objectStorage)],
      goMemoryLimit: true,
      highAvailability: props.highAvailability ?? false,
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
    });
    this.pods = pyroscope.allPods;
    this.push = pyroscope.component('distributor').service.endpoint('http');
    this.query = pyroscope.component('query-frontend').service.endpoint('http');
  }
}
