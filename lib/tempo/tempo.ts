import { Construct } from 'constructs';
import { Database, DatabaseAddresses, DatabaseSpec, ExtraPort, MicroserviceSpec, sizedComponent, StorageBackendContext, StorageBackendSettings } from '../common/database';
import { withDefaults } from '../common/defaults';
import { retentionHours } from '../common/durations';
import { Endpoint, HttpApi, PodPeer, RemoteWriteTarget, WorkloadScope } from '../common/endpoints';
import { kafkaEnv, KafkaSettings, KAFKA_SECRET_KEYS } from '../common/kafka';
import { CLUSTER_LABEL } from '../common/labels';
import { bucketFor, credentialEnv, fromEnv, ObjectStorage, objectStoreClient, ObjectStoreDialect } from '../common/object-storage';
import { ResourceSpec } from '../common/resources';
import { zonedPartitionConsumers } from '../common/zones';

/** The components of Tempo's microservices mode, as `-target` names them. */
export const TEMPO_TARGETS = ['distributor', 'live-store', 'block-builder', 'querier', 'query-frontend', 'backend-scheduler', 'backend-worker', 'metrics-generator'] as const;
export type TempoTarget = (typeof TEMPO_TARGETS)[number];

/**
 * What an environment sets for Tempo (`tempo:` in its config). In scalable mode live-stores are
 * not sized by `components`: each zone runs one per Kafka partition; block-builders must divide
 * the partitions evenly.
 */
export interface TempoSettings extends StorageBackendSettings<TempoTarget> {
  /** Per-tenant ingestion rate, bytes/s (`overrides.defaults.ingestion.rate_limit_bytes`). @default 15000000 */
  readonly ingestionRateLimitBytes?: number;
  /** Per-tenant burst, bytes (`overrides.defaults.ingestion.burst_size_bytes`). @default 20000000 */
  readonly ingestionBurstSizeBytes?: number;
  /** Live traces per tenant (`overrides.defaults.ingestion.max_traces_per_user`). @default 10000 */
  readonly maxTracesPerUser?: number;
}

/** Tempo as the charts build it: its settings, and what it is wired to. */
export interface TempoProps extends TempoSettings, StorageBackendContext {
  /** The write-ahead log of scalable mode (topic `topics.traces`). @default - none: monolithic only */
  readonly kafka?: KafkaSettings;
  /**
   * Where the metrics-generator writes service-graph and span metrics. The tenant header is the
   * trace's own tenant (Tempo adds it), so metrics land beside the traces' tenant.
   * @default - no metrics-generator output
   */
  readonly metricsRemoteWrite?: RemoteWriteTarget;
  /** Added as the `cluster` label to the generated series, as Prometheus does to its own. @default - none */
  readonly clusterName?: string;
}

/** Tempo's defaults for every optional setting. */
export const TEMPO_DEFAULTS = {
  mode: 'monolithic',
  components: {
    distributor: { replicas: 3, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    'live-store': { replicas: 1, resources: { cpuRequest: '500m', memoryRequest: '2Gi', memoryLimit: '4Gi' } },
    // Tempo 3.0.3's sizing guide (docs/sources/tempo/operations/plan/size.md): block-builders
    // 5-10 GB (one consuming cycle reads up to 5 GB), queriers and frontends 4-20 GB.
    'block-builder': { replicas: 1, resources: { cpuRequest: '500m', memoryRequest: '4Gi', memoryLimit: '8Gi' } },
    querier: { replicas: 3, resources: { cpuRequest: '250m', memoryRequest: '2Gi', memoryLimit: '4Gi' } },
    'query-frontend': { replicas: 2, resources: { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '4Gi' } },
    'backend-scheduler': { replicas: 1, resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '1Gi' } },
    'backend-worker': { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
    'metrics-generator': { replicas: 2, resources: { cpuRequest: '250m', memoryRequest: '512Mi', memoryLimit: '2Gi' } },
  } satisfies Record<TempoTarget, { replicas: number; resources: ResourceSpec }>,
  retention: '14d',
  storageSize: '20Gi',
  resources: { cpuRequest: '200m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
  ingestionRateLimitBytes: 15_000_000,
  ingestionBurstSizeBytes: 20_000_000,
  maxTracesPerUser: 10_000,
} as const;

/** The image's user (cmd/tempo/Dockerfile: USER 10001:10001); it sizes its heap itself (automemlimit). */
export const TEMPO: DatabaseSpec = { name: 'tempo', image: 'tempo', httpPort: 3200, grpcPort: 9095, runAsUser: 10001, dataPath: '/var/tempo', configDir: '/etc/tempo' };
const DATA = TEMPO.dataPath;

type ResolvedTempo = ReturnType<typeof resolve>;
function resolve(props: TempoProps) {
  return withDefaults(props, TEMPO_DEFAULTS);
}

/** The trace protocols Tempo receives, with their standard ports. */
export const TEMPO_RECEIVER_PORTS = {
  'otlp-grpc': 4317,
  'otlp-http': 4318,
  'jaeger-grpc': 14250,
  'jaeger-thrift': 14268,
  zipkin: 9411,
} as const;
export type TempoReceiver = keyof typeof TEMPO_RECEIVER_PORTS;

const listen = (receiver: TempoReceiver) => ({ endpoint: `0.0.0.0:${TEMPO_RECEIVER_PORTS[receiver]}` });

const SERVER = { http_listen_port: TEMPO.httpPort, grpc_listen_port: TEMPO.grpcPort, log_level: 'info' };

/** Settings both modes share: the Go heap held below the container's memory limit, search over the whole retention. */
function common(props: ResolvedTempo): object {
  return {
    multitenancy_enabled: true,
    // Lets Grafana stream TraceQL results over HTTP.
    stream_over_http_enabled: true,
    memory: { automemlimit_enabled: true },
    server: SERVER,
    distributor: RECEIVERS,
    // Its default (168h) would hide the older part of a longer retention from search.
    query_frontend: { search: { max_duration: retentionHours(props.retention) } },
  };
}

const RECEIVERS = {
  // OpenTelemetry receivers bind to localhost unless told otherwise.
  receivers: {
    otlp: { protocols: { grpc: listen('otlp-grpc'), http: listen('otlp-http') } },
    jaeger: { protocols: { grpc: listen('jaeger-grpc'), thrift_http: listen('jaeger-thrift') } },
    zipkin: listen('zipkin'),
  },
};

function metricsGenerator(props: ResolvedTempo): object {
  if (!props.metricsRemoteWrite) return {};
  return {
    metrics_generator: {
      ...(props.clusterName ? { registry: { external_labels: { [CLUSTER_LABEL]: props.clusterName } } } : {}),
      storage: {
        path: `${DATA}/generator/wal`,
        remote_write_add_org_id_header: true,
        remote_write: [{ url: props.metricsRemoteWrite.api.url(), send_exemplars: true }],
      },
    },
  };
}

function overrides(props: ResolvedTempo): object {
  return {
    defaults: {
      ingestion: {
        rate_limit_bytes: props.ingestionRateLimitBytes,
        burst_size_bytes: props.ingestionBurstSizeBytes,
        max_traces_per_user: props.maxTracesPerUser,
      },
      ...(props.metricsRemoteWrite ? { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } : {}),
    },
  };
}

/** The configuration of a single-binary Tempo storing blocks on its own volume. */
export function tempoConfig(props: ResolvedTempo): object {
  return {
    ...common(props),
    storage: {
      trace: { backend: 'local', local: { path: `${DATA}/blocks` }, wal: { path: `${DATA}/wal` } },
    },
    backend_worker: { compaction: { block_retention: retentionHours(props.retention) } },
    backend_scheduler: { local_work_path: `${DATA}/backend-scheduler` },
    ...metricsGenerator(props),
    overrides: overrides(props),
    usage_report: { reporting_enabled: false },
  };
}

/**
 * How Tempo names the object-store settings. On GCS it reads credentials only from the pod's
 * identity (or a key file path): the rules refuse a credentials Secret there.
 */
const TEMPO_STORE: ObjectStoreDialect = {
  s3: { bucket: 'bucket', accessKeyId: 'access_key', secretAccessKey: 'secret_key', pathStyle: { boolean: 'forcepathstyle' } },
  gcs: { bucket: 'bucket_name' },
  azure: { bucket: 'container_name', accountName: 'storage_account_name', accountKey: 'storage_account_key' },
};

/** Block-builders own `partitions / replicas` consecutive partitions each, by ordinal (the rules keep it whole). */
export function partitionsPerBlockBuilder(partitions: number, blockBuilders: number): number {
  return partitions / blockBuilders;
}


/** The configuration every component of a scalable Tempo reads. */
export function tempoScalableConfig(props: ResolvedTempo, objectStorage: ObjectStorage, kafka: KafkaSettings): object {
  const at = new DatabaseAddresses<TempoTarget>(TEMPO, props.namespace);
  const partitions = kafka.partitions.traces ?? 0;
  const blockBuilders = props.components['block-builder']?.replicas ?? TEMPO_DEFAULTS.components['block-builder'].replicas;
  const retention = retentionHours(props.retention);
  const [user, password] = KAFKA_SECRET_KEYS;
  return {
    ...common(props),
    ingest: {
      kafka: {
        address: kafka.address,
        topic: kafka.topics.traces,
        ...(kafka.saslSecret ? { sasl_username: fromEnv(user), sasl_password: fromEnv(password) } : {}),
        // Topics are created by the Kafka owners, with the partition count the stack is sized for.
        auto_create_topic_enabled: false,
      },
    },
    memberlist: at.memberlist('string'),
    storage: {
      trace: {
        backend: objectStorage.provider,
        [objectStorage.provider]: objectStoreClient(objectStorage, TEMPO_STORE, bucketFor(objectStorage, 'traces')),
        wal: { path: `${DATA}/wal` },
      },
    },
    block_builder: { partitions_per_instance: partitionsPerBlockBuilder(partitions, blockBuilders) },
    querier: { frontend_worker: { frontend_address: at.grpc('query-frontend', true) } },
    backend_scheduler: { provider: { compaction: { compaction: { block_retention: retention } } } },
    backend_worker: {
      backend_scheduler_addr: at.grpc('backend-scheduler'),
      compaction: { block_retention: retention },
      // Workers share the tenants through a ring instead of each polling all of them.
      ring: { kvstore: { store: 'memberlist' } },
    },
    ...metricsGenerator(props),
    overrides: overrides(props),
    usage_report: { reporting_enabled: false },
  };
}

/** Ring zones of the live-stores: two keep recent traces queryable through a zone loss. */
export function liveStoreZones(highAvailability: boolean): number {
  return highAvailability ? 2 : 1;
}

/** Live-stores of one zone restarted at once; the other zone serves recent traces meanwhile. */
const LIVE_STORE_MAX_UNAVAILABLE_PER_ZONE = 2;

/** The receiver ports, as container ports with their protocol hints. */
const RECEIVER_PORTS: readonly ExtraPort[] = (Object.entries(TEMPO_RECEIVER_PORTS) as [TempoReceiver, number][]).map(([name, port]) => ({
  name,
  containerPort: port,
  appProtocol: name.endsWith('grpc') ? 'grpc' : 'http',
}));

/**
 * Tempo, the trace store. It receives OTLP (gRPC and HTTP), Jaeger (gRPC and Thrift HTTP) and
 * Zipkin, and its metrics-generator turns spans into service-graph and RED metrics in the
 * metrics store. Monolithic: one binary (`-target=all`, no Kafka) on a volume. Scalable: its
 * microservices on object storage, writes through Kafka, live-stores in two zones.
 */
export class Tempo extends Construct {
  readonly pods: PodPeer;
  /** Its pods, as dashboards select them. */
  readonly scope: WorkloadScope;
  /** Zoned StatefulSets the rollout-operator rolls one zone after another (scalable mode). */
  readonly rolloutGroups: readonly string[];
  /** Tempo's query API (TraceQL search, trace by ID): the query frontends. */
  readonly queryApi: HttpApi;
  /** Trace intake, one endpoint per protocol: the distributors. */
  readonly receivers: Readonly<Record<TempoReceiver, Endpoint>>;
  /**
   * The same intake on the headless Service: one address per distributor, for gRPC clients that
   * balance their streams across them (a ClusterIP pins each long-lived stream to one pod).
   */
  readonly balancedReceivers: Readonly<Record<TempoReceiver, Endpoint>>;

  constructor(scope: Construct, id: string, given: TempoProps) {
    super(scope, id);
    const props = resolve(given);
    const volume = { name: 'data', size: props.storageSize, storageClassName: props.storageClassName };
    const db = new Database(this, 'tempo', {
      spec: TEMPO,
      namespace: props.namespace,
      wiring: props.wiring,
      highAvailability: props.highAvailability,
      ...(props.mode === 'monolithic'
        ? { singleBinary: { config: tempoConfig(props), target: 'all', extraPorts: RECEIVER_PORTS, storage: volume, resources: props.resources } }
        : { microservices: this.microservices(props, volume) }),
    });
    const receiversOf = (balanced: boolean) =>
      Object.fromEntries((Object.keys(TEMPO_RECEIVER_PORTS) as TempoReceiver[]).map((r) => [r, db.endpoint('distributor', r, balanced)])) as Record<TempoReceiver, Endpoint>;
    this.pods = db.pods;
    this.scope = db.scope;
    this.rolloutGroups = db.rolloutGroups;
    this.queryApi = new HttpApi(db.endpoint('query-frontend'), '');
    this.receivers = receiversOf(false);
    this.balancedReceivers = receiversOf(true);
    if (props.metricsRemoteWrite) {
      const target = props.metricsRemoteWrite.api.endpoint;
      props.wiring.connect({ from: this.pods, to: target.pods, ports: [target.targetPort], purpose: 'span metrics remote write' });
    }
  }

  private microservices(props: ResolvedTempo, volume: { name: string; size: string; storageClassName?: string }) {
    // The configuration rules (lib/tempo/rules.ts) guarantee both in scalable mode, and a Kafka
    // client Tempo 3.0.3 can speak (SASL/PLAIN, no TLS).
    const objectStorage = props.objectStorage!;
    const kafka = props.kafka!;
    const component = (target: TempoTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, TEMPO_DEFAULTS.components, extra);
    return {
      config: tempoScalableConfig(props, objectStorage, kafka),
      env: [...credentialEnv(objectStorage), ...kafkaEnv(kafka)],
      components: [
        component('distributor', { extraPorts: RECEIVER_PORTS, terminationGracePeriodSeconds: 60 }),
        ...zonedPartitionConsumers({
          target: 'live-store',
          zones: liveStoreZones(props.highAvailability === true),
          nodeZones: props.availabilityZones,
          partitions: kafka.partitions.traces ?? 0,
          zoneFlag: '-live-store.instance-availability-zone',
          maxUnavailablePerZone: LIVE_STORE_MAX_UNAVAILABLE_PER_ZONE,
          // On shutdown a live-store writes its live traces to its WAL and completes its blocks.
          spec: { ...component('live-store'), storage: volume, terminationGracePeriodSeconds: 600 },
        }),
        // Finishes the block it is consuming before it exits (up to a minute in 3.0.3); the chart gives 300s.
        component('block-builder', { kind: 'StatefulSet', terminationGracePeriodSeconds: 300 }),
        component('querier'),
        // Ready only once a querier has connected (modules/frontend/v1 CheckReady), and queriers find
        // it through its headless Service: that Service must list it before it is ready.
        component('query-frontend', { discoverableBeforeReady: true }),
        // One scheduler per cluster: it hands out compaction and retention jobs.
        component('backend-scheduler', { kind: 'StatefulSet', replicas: 1, storage: volume }),
        component('backend-worker'),
        // Flushes its remote-write queue before it exits (remote_write_flush_deadline: 1m).
        component('metrics-generator', { kind: 'StatefulSet', storage: volume, terminationGracePeriodSeconds: 120 }),
      ],
    };
  }
}
