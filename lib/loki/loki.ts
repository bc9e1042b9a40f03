import { Construct } from 'constructs';
import { Endpoint, PodPeer } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { SingleBinary, StorageBackendProps } from '../common/single-binary';
import { retentionHours } from '../common/durations';

export interface LokiProps extends StorageBackendProps {
  /** Per-tenant ingestion rate, MB/s (`limits_config.ingestion_rate_mb`). */
  readonly ingestionRateMb?: number;
  /** Per-tenant burst, MB (`limits_config.ingestion_burst_size_mb`). */
  readonly ingestionBurstSizeMb?: number;
  /** Active streams per tenant (`limits_config.max_global_streams_per_user`). */
  readonly maxGlobalStreamsPerUser?: number;
}

/** Loki's defaults for every optional prop. */
export const LOKI_DEFAULTS = {
  retention: '30d',
  storageSize: '20Gi',
  resources: { cpuRequest: '200m', memoryRequest: '512Mi', memoryLimit: '2Gi' },
  ingestionRateMb: 8,
  ingestionBurstSizeMb: 16,
  maxGlobalStreamsPerUser: 10_000,
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

/** The configuration of a single-binary Loki storing on its own volume. */
export function lokiConfig(props: LokiProps): object {
  return {
    auth_enabled: true,
    server: { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' },
    common: {
      path_prefix: DATA,
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
      storage: { filesystem: { chunks_directory: `${DATA}/chunks`, rules_directory: `${DATA}/rules` } },
    },
    schema_config: {
      configs: [{ from: SCHEMA_START, store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    compactor: {
      working_directory: `${DATA}/compactor`,
      retention_enabled: true,
      delete_request_store: 'filesystem',
    },
    limits_config: {
      retention_period: retentionHours(props.retention ?? LOKI_DEFAULTS.retention),
      ingestion_rate_mb: props.ingestionRateMb ?? LOKI_DEFAULTS.ingestionRateMb,
      ingestion_burst_size_mb: props.ingestionBurstSizeMb ?? LOKI_DEFAULTS.ingestionBurstSizeMb,
      max_global_streams_per_user: props.maxGlobalStreamsPerUser ?? LOKI_DEFAULTS.maxGlobalStreamsPerUser,
      allow_structured_metadata: true,
      volume_enabled: true,
    },
    // Patterns power Grafana's Logs Drilldown.
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
  /** Loki's HTTP API: push (`/loki/api/v1/push`, `/otlp`) and LogQL queries. */
  readonly http: Endpoint;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id);
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
    });
    this.pods = binary.pods;
    this.http = binary.service.endpoint('http');
  }
}
