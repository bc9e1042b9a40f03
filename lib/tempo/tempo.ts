import { Construct } from 'constructs';
import { Endpoint, PodPeer, RemoteWriteTarget } from '../common/endpoints';
import { retentionHours } from '../common/durations';
import { ComponentIdentity } from '../common/labels';
import { SingleBinary, StorageBackendProps } from '../common/single-binary';

export interface TempoProps extends StorageBackendProps {
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
}

/** Tempo's defaults for every optional prop. */
export const TEMPO_DEFAULTS = {
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

/** The configuration of a single-binary Tempo storing blocks on its own volume. */
export function tempoConfig(props: TempoProps): object {
  const retention = retentionHours(props.retention ?? TEMPO_DEFAULTS.retention);
  return {
    multitenancy_enabled: true,
    // Lets Grafana stream TraceQL results over HTTP.
    stream_over_http_enabled: true,
    server: { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' },
    distributor: {
      // OpenTelemetry receivers bind to localhost unless told otherwise.
      receivers: {
        otlp: { protocols: { grpc: listen('otlp-grpc'), http: listen('otlp-http') } },
        jaeger: { protocols: { grpc: listen('jaeger-grpc'), thrift_http: listen('jaeger-thrift') } },
        zipkin: listen('zipkin'),
      },
    },
    storage: {
      trace: { backend: 'local', local: { path: `${DATA}/blocks` }, wal: { path: `${DATA}/wal` } },
    },
    backend_worker: { compaction: { block_retention: retention } },
    backend_scheduler: { local_work_path: `${DATA}/backend-scheduler` },
    ...(props.metricsRemoteWrite
      ? {
          metrics_generator: {
            storage: {
              path: `${DATA}/generator/wal`,
              remote_write_add_org_id_header: true,
              remote_write: [{ url: props.metricsRemoteWrite.endpoint.url(props.metricsRemoteWrite.path), send_exemplars: true }],
            },
          },
        }
      : {}),
    overrides: {
      defaults: {
        ingestion: {
          rate_limit_bytes: props.ingestionRateLimitBytes ?? TEMPO_DEFAULTS.ingestionRateLimitBytes,
          burst_size_bytes: props.ingestionBurstSizeBytes ?? TEMPO_DEFAULTS.ingestionBurstSizeBytes,
          max_traces_per_user: props.maxTracesPerUser ?? TEMPO_DEFAULTS.maxTracesPerUser,
        },
        ...(props.metricsRemoteWrite ? { metrics_generator: { processors: ['service-graphs', 'span-metrics'] } } : {}),
      },
    },
    usage_report: { reporting_enabled: false },
  };
}

/**
 * Tempo, the trace store, run as one binary (`-target=all`, no Kafka) on a PersistentVolumeClaim.
 * It receives OTLP (gRPC and HTTP), Jaeger (gRPC and Thrift HTTP) and Zipkin, and its
 * metrics-generator turns spans into service-graph and RED metrics in the metrics store.
 */
export class Tempo extends Construct {
  readonly pods: PodPeer;
  /** Tempo's HTTP API: TraceQL search, trace by ID. */
  readonly http: Endpoint;
  /** Trace intake, one endpoint per protocol. */
  readonly receivers: Readonly<Record<TempoReceiver, Endpoint>>;

  constructor(scope: Construct, id: string, props: TempoProps) {
    super(scope, id);
    const binary = new SingleBinary(this, 'tempo', {
      identity: IDENTITY,
      namespace: props.namespace,
      wiring: props.wiring,
      config: tempoConfig(props),
      configDir: '/etc/tempo',
      target: 'all',
      httpPort: HTTP_PORT,
      grpcPort: GRPC_PORT,
      extraPorts: (Object.entries(TEMPO_RECEIVER_PORTS) as [TempoReceiver, number][]).map(([name, port]) => ({
        name,
        containerPort: port,
        appProtocol: name.endsWith('grpc') ? 'grpc' : 'http',
      })),
      dataPath: DATA,
      storage: { name: 'data', size: props.storageSize ?? TEMPO_DEFAULTS.storageSize, storageClassName: props.storageClassName },
      runAsUser: RUN_AS_USER,
      resources: props.resources ?? TEMPO_DEFAULTS.resources,
    });
    this.pods = binary.pods;
    this.http = binary.service.endpoint('http');
    this.receivers = Object.fromEntries(
      (Object.keys(TEMPO_RECEIVER_PORTS) as TempoReceiver[]).map((r) => [r, binary.service.endpoint(r)]),
    ) as Record<TempoReceiver, Endpoint>;
    if (props.metricsRemoteWrite) {
      const target = props.metricsRemoteWrite.endpoint;
      props.wiring.connect({ from: this.pods, to: target.pods, ports: [target.targetPort], purpose: 'span metrics remote write' });
    }
  }
}
