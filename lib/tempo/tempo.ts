import { Construct } from 'constructs';
import { retentionHours } from '../common/durations';
import { Endpoint, PodPeer, RemoteWriteTarget } from '../common/endpoints';
import { KAFKA_DEFAULT_SASL_MECHANISM, kafkaEnv, KafkaSettings, KAFKA_SECRET_KEYS } from '../common/kafka';
import { CLUSTER_LABEL, ComponentIdentity } from '../common/labels';
import { componentHost, ComponentSizing, memberlistConfig, Microservices, MicroserviceSpec, sizedComponent } from '../common/microservices';
import { bucketFor, credentialEnv, fromEnv, OBJECT_STORAGE_SECRET_KEYS, ObjectStorage } from '../common/object-storage';
import { ResourceSpec } from '../common/resources';
import { zonedPartitionConsumers } from '../common/zones';
import { DeploymentMode, SingleBinary, StorageBackendProps } from '../common/single-binary';

/** The components of Tempo's microservices mode, as `-target` names them. */
export const TEMPO_TARGETS = ['distributor', 'live-store', 'block-builder', 'querier', 'query-frontend', 'backend-scheduler', 'backend-worker', 'metrics-generator'] as const;
export type TempoTarget = (typeof TEMPO_TARGETS)[number];

export interface TempoProps extends StorageBackendProps {
  /** `monolithic`: one binary on a volume. `scalable`: microservices on object storage and Kafka. */
  readonly mode?: DeploymentMode;
  /** Where blocks live in scalable mode (bucket `buckets.traces`). Required for `scalable`. */
  readonly objectStorage?: ObjectStorage;
  /** The write-ahead log of scalable mode (topic `topics.traces`). Required for `scalable`. */
  readonly kafka?: KafkaSettings;
  /** Scalable mode: two live-store zones, PodDisruptionBudgets, spreading. @default false */
  readonly highAvailability?: boolean;
  /**
   * Scalable mode: the availability zones each live-store zone is pinned to, in order (one per
   * ring zone). @default - not pinned: a single-zone cluster
   */
  readonly availabilityZones?: readonly string[];
  /**
   * Scalable mode: replicas and resources per component. Live-stores are not sized here: each
   * zone runs one per Kafka partition. Block-builders must divide the partitions evenly.
   * @default TEMPO_DEFAULTS.components
   */
  readonly components?: ComponentSizing<TempoTarget>;
  /** Per-tenant ingestion rate, bytes/s (`overrides.defaults.ingestion.rate_limit_bytes`). */
  readonly ingestionRateLimitBytes?: number;
  /** Per-tenant burst, bytes (`overrides.defaults.ingestion.burst_size_bytes`). */
  readonly ingestionBurstSizeBytes?: number;
  /** Live traces per tenant (`overrides.defaults.ingestion.max_traces_per_user`). */
  readonly maxTracesPerUser?: number;
  /**
   * Where the metrics-generator writes service-graph and span metrics. The tenant header is the
   * trace's own tenant (Tempo adds it), so metrics land beside the traces' tenant.
   * @default - no metrics-generator output
   */
  readonly metricsRemoteWrite?: RemoteWriteTarget;
  /** Added as the `cluster` label to the generated series, as Prometheus does to its own. @default - none */
  readonly clusterName?: string;
}

/** Tempo's defaults for every optional prop. */
export const TEMPO_DEFAULTS = {
  mode: 'monolithic' as DeploymentMode,
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

const IDENTITY: ComponentIdentity = { name: 'tempo', instance: 'tempo', component: 'single-binary', image: 'tempo' };
const HTTP_PORT = 3200;
const GRPC_PORT = 9095;
/** The image's user (cmd/tempo/Dockerfile: USER 10001:10001). */
const RUN_AS_USER = 10001;
const DATA = '/var/tempo';

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

const SERVER = { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' };

/** Settings both modes share: the Go heap held below the container's memory limit, search over the whole retention. */
function common(props: TempoProps): object {
  return {
    multitenancy_enabled: true,
    // Lets Grafana stream TraceQL results over HTTP.
    stream_over_http_enabled: true,
    memory: { automemlimit_enabled: true },
    server: SERVER,
    distributor: RECEIVERS,
    // Its default (168h) would hide the older part of a longer retention from search.
    query_frontend: { search: { max_duration: retentionHours(props.retention ?? TEMPO_DEFAULTS.retention) } },
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

function metricsGenerator(props: TempoProps): object {
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

function overrides(props: TempoProps): object {
  return {
    defaults: {
      ingestion: {
        rate_limit_bytes: props.ingestionRateLimitBytes ?? TEMPO_DEFAULTS.ingestionRateLimitBytes,
        burst_size_bytes: props.ingestionBurstSizeBytes ?? TEMPO_DEFAULTS.ingestionBurstSizeBytes,
        max_traces_per_user: props.maxTracesPerUser ?? TEMPO_DEFAULTS.maxTracesPerUser,
      },
      ...(props.metricsRemoteWrite ? { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } : {}),
    },
  };
}

/** The configuration of a single-binary Tempo storing blocks on its own volume. */
export function tempoConfig(props: TempoProps): object {
  return {
    ...common(props),
    storage: {
      trace: { backend: 'local', local: { path: `${DATA}/blocks` }, wal: { path: `${DATA}/wal` } },
    },
    backend_worker: { compaction: { block_retention: retentionHours(props.retention ?? TEMPO_DEFAULTS.retention) } },
    backend_scheduler: { local_work_path: `${DATA}/backend-scheduler` },
    ...metricsGenerator(props),
    overrides: overrides(props),
    usage_report: { reporting_enabled: false },
  };
}

/** `storage.trace` for an object store, credentials as `${ENV}` references. */
function traceStorage(storage: ObjectStorage): object {
  const bucket = bucketFor(storage, 'traces');
  const secret = storage.credentialsSecret !== undefined;
  switch (storage.provider) {
    case 's3': {
      const [accessKey, secretKey] = OBJECT_STORAGE_SECRET_KEYS.s3;
      return {
        backend: 's3',
        s3: {
          bucket,
          endpoint: storage.endpoint,
          ...(storage.region ? { region: storage.region } : {}),
          ...(secret ? { access_key: fromEnv(accessKey), secret_key: fromEnv(secretKey) } : {}),
          insecure: storage.insecure ?? false,
          forcepathstyle: storage.forcePathStyle ?? false,
        },
      };
    }
    case 'gcs':
      // Tempo reads GCS credentials only from the pod's identity (or a key file); see validation.
      return { backend: 'gcs', gcs: { bucket_name: bucket } };
    case 'azure':
      return {
        backend: 'azure',
        azure: {
          container_name: bucket,
          storage_account_name: storage.accountName,
          ...(secret ? { storage_account_key: fromEnv(OBJECT_STORAGE_SECRET_KEYS.azure[0]) } : {}),
        },
      };
  }
}

/** Block-builders own `partitions / replicas` consecutive partitions each, by ordinal. */
export function partitionsPerBlockBuilder(partitions: number, blockBuilders: number): number {
  if (!Number.isInteger(partitions / blockBuilders)) {
    throw new Error(`Tempo: ${blockBuilders} block-builders cannot share ${partitions} Kafka partitions evenly; use a divisor of ${partitions}`);
  }
  return partitions / blockBuilders;
}

export interface TempoScalableInput extends TempoProps {
  readonly objectStorage: ObjectStorage;
  readonly kafka: KafkaSettings;
}

/** The configuration every component of a scalable Tempo reads. */
export function tempoScalableConfig(props: TempoScalableInput): object {
  const { namespace, kafka } = props;
  const topic = kafka.topics.traces;
  const partitions = kafka.partitions.traces;
  if (!topic || !partitions) throw new Error("Tempo: 'kafka.topics.traces' and 'kafka.partitions.traces' are required in scalable mode");
  const blockBuilders = props.components?.['block-builder']?.replicas ?? TEMPO_DEFAULTS.components['block-builder'].replicas;
  const retention = retentionHours(props.retention ?? TEMPO_DEFAULTS.retention);
  const [user, password] = KAFKA_SECRET_KEYS;
  return {
    ...common(props),
    ingest: {
      kafka: {
        address: kafka.address,
        topic,
        ...(kafka.saslSecret ? { sasl_username: fromEnv(user), sasl_password: fromEnv(password) } : {}),
        // Topics are created by the Kafka owners, with the partition count the stack is sized for.
        auto_create_topic_enabled: false,
      },
    },
    memberlist: memberlistConfig('tempo', namespace, 'string'),
    storage: { trace: { ...traceStorage(props.objectStorage), wal: { path: `${DATA}/wal` } } },
    block_builder: { partitions_per_instance: partitionsPerBlockBuilder(partitions, blockBuilders) },
    querier: { frontend_worker: { frontend_address: `${componentHost('tempo', 'query-frontend', namespace, true)}:${GRPC_PORT}` } },
    backend_scheduler: { provider: { compaction: { compaction: { block_retention: retention } } } },
    backend_worker: {
      backend_scheduler_addr: `${componentHost('tempo', 'backend-scheduler', namespace)}:${GRPC_PORT}`,
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

/**
 * Tempo, the trace store, run as one binary (`-target=all`, no Kafka) on a PersistentVolumeClaim.
 * It receives OTLP (gRPC and HTTP), Jaeger (gRPC and Thrift HTTP) and Zipkin, and its
 * metrics-generator turns spans into service-graph and RED metrics in the metrics store.
 */
export class Tempo extends Construct {
  readonly pods: PodPeer;
  /** Zoned StatefulSets the rollout-operator rolls one zone after another (scalable mode). */
  readonly rolloutGroups: readonly string[];
  /** Tempo's query API (TraceQL search, trace by ID): the query frontends. */
  readonly query: Endpoint;
  /** Trace intake, one endpoint per protocol: the distributors. */
  readonly receivers: Readonly<Record<TempoReceiver, Endpoint>>;
  /**
   * The same intake on the headless Service: one address per distributor, for gRPC clients that
   * balance their streams across them (a ClusterIP pins each long-lived stream to one pod).
   */
  readonly balancedReceivers: Readonly<Record<TempoReceiver, Endpoint>>;

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id);
    const mode = props.mode ?? TEMPO_DEFAULTS.mode;
    const receiverPorts = (Object.entries(TEMPO_RECEIVER_PORTS) as [TempoReceiver, number][]).map(([name, port]) => ({
      name,
      containerPort: port,
      appProtocol: name.endsWith('grpc') ? 'grpc' : 'http',
    }));
    const receiversOf = (endpoint: (name: string) => Endpoint) =>
      Object.fromEntries((Object.keys(TEMPO_RECEIVER_PORTS) as TempoReceiver[]).map((r) => [r, endpoint(r)])) as Record<TempoReceiver, Endpoint>;

    if (mode === 'monolithic') {
      const binary = new SingleBinary(this, 'tempo', {
        identity: IDENTITY,
        namespace: props.namespace,
        wiring: props.wiring,
        config: tempoConfig(props),
        configDir: '/etc/tempo',
        target: 'all',
        httpPort: HTTP_PORT,
        grpcPort: GRPC_PORT,
        extraPorts: receiverPorts,
        dataPath: DATA,
        storage: { name: 'data', size: props.storageSize ?? TEMPO_DEFAULTS.storageSize, storageClassName: props.storageClassName },
        runAsUser: RUN_AS_USER,
        resources: props.resources ?? TEMPO_DEFAULTS.resources,
      });
      this.pods = binary.pods;
      this.rolloutGroups = [];
      this.query = binary.service.endpoint('http');
      this.receivers = receiversOf((r) => binary.service.endpoint(r));
      this.balancedReceivers = receiversOf((r) => binary.headless.endpoint(r));
    } else {
      if (!props.objectStorage || !props.kafka) throw new Error("Tempo: 'mode' scalable needs 'objectStorage' (blocks) and 'kafka' (write-ahead log)");
      // Tempo 3.0.3's Kafka client has no TLS settings (pkg/ingest/config.go).
      if (props.kafka.tls) throw new Error("Tempo: 'kafka.tls' is not supported by Tempo 3.0.3; reach Kafka over a plain listener");
      if ((props.kafka.saslMechanism ?? KAFKA_DEFAULT_SASL_MECHANISM) !== 'PLAIN') {
        throw new Error(`Tempo: 'kafka.saslMechanism' ${props.kafka.saslMechanism} is not supported by Tempo 3.0.3, whose Kafka client speaks SASL/PLAIN only`);
      }
      const input: TempoScalableInput = { ...props, objectStorage: props.objectStorage, kafka: props.kafka };
      const partitions = props.kafka.partitions.traces ?? 0;
      const liveStores = props.components?.['live-store']?.replicas;
      if (liveStores !== undefined && liveStores !== partitions) {
        throw new Error(`Tempo: live-store replicas (${liveStores}) must equal the Kafka partitions (${partitions}): each live-store owns the partition of its ordinal`);
      }
      const volume = { name: 'data', size: props.storageSize ?? TEMPO_DEFAULTS.storageSize, storageClassName: props.storageClassName };
      const highAvailability = props.highAvailability ?? false;
      const component = (target: TempoTarget, extra: Partial<MicroserviceSpec> = {}) => sizedComponent(target, props.components, TEMPO_DEFAULTS.components, extra);
      const tempo = new Microservices(this, 'tempo', {
        name: 'tempo',
        image: 'tempo',
        namespace: props.namespace,
        wiring: props.wiring,
        config: tempoScalableConfig(input),
        configDir: '/etc/tempo',
        httpPort: HTTP_PORT,
        grpcPort: GRPC_PORT,
        dataPath: DATA,
        runAsUser: RUN_AS_USER,
        env: [...credentialEnv(props.objectStorage), ...kafkaEnv(props.kafka)],
        highAvailability,
        components: [
          component('distributor', { extraPorts: receiverPorts, terminationGracePeriodSeconds: 60 }),
          ...zonedPartitionConsumers({
            target: 'live-store',
            zones: liveStoreZones(highAvailability),
            nodeZones: props.availabilityZones,
            partitions,
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
      });
      this.pods = tempo.allPods;
      this.rolloutGroups = tempo.rolloutGroups;
      this.query = tempo.component('query-frontend').service.endpoint('http');
      this.receivers = receiversOf((r) => tempo.component('distributor').service.endpoint(r));
      this.balancedReceivers = receiversOf((r) => tempo.component('distributor').headless.endpoint(r));
    }
    if (props.metricsRemoteWrite) {
      const target = props.metricsRemoteWrite.api.endpoint;
      props.wiring.connect({ from: this.pods, to: target.pods, ports: [target.targetPort], purpose: 'span metrics remote write' });
    }
  }
}
