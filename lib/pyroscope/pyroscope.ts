import { Construct } from 'constructs';
import { retentionHours } from '../common/durations';
import { Endpoint, PodPeer } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { SingleBinary, StorageBackendProps } from '../common/single-binary';

export interface PyroscopeProps extends StorageBackendProps {
  /** Per-tenant ingestion rate, MB/s (`limits.ingestion_rate_mb`). */
  readonly ingestionRateMb?: number;
  /** Per-tenant burst, MB (`limits.ingestion_burst_size_mb`). */
  readonly ingestionBurstSizeMb?: number;
}

/** Pyroscope's defaults for every optional prop. */
export const PYROSCOPE_DEFAULTS = {
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

/** The configuration of a single-binary Pyroscope (v2 storage architecture) on its own volume. */
export function pyroscopeConfig(props: PyroscopeProps): object {
  return {
    multitenancy_enabled: true,
    server: { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' },
    // The v2 architecture alone (segment writer + metastore), as upstream's chart runs it.
    architecture_storage: 'v2',
    storage: { backend: 'filesystem' },
    limits: {
      ingestion_rate_mb: props.ingestionRateMb ?? PYROSCOPE_DEFAULTS.ingestionRateMb,
      ingestion_burst_size_mb: props.ingestionBurstSizeMb ?? PYROSCOPE_DEFAULTS.ingestionBurstSizeMb,
      retention_period: retentionHours(props.retention ?? PYROSCOPE_DEFAULTS.retention),
    },
    // The server would otherwise profile itself into its own tenant-less store.
    self_profiling: { disable_push: true },
    analytics: { reporting_enabled: false },
  };
}

/**
 * Pyroscope, the continuous-profiling store, run as one binary (`-target=all`) on a
 * PersistentVolumeClaim, multi-tenant.
 */
export class Pyroscope extends Construct {
  readonly pods: PodPeer;
  /** Pyroscope's HTTP API: ingestion (`/ingest`, push service) and queries. */
  readonly http: Endpoint;

  constructor(scope: Construct, id: string, props: PyroscopeProps) {
    super(scope, id);
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
    });
    this.pods = binary.pods;
    this.http = binary.service.endpoint('http');
  }
}
