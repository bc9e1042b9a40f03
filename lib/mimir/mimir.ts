import { Construct } from 'constructs';
import { retentionHours } from '../common/durations';
import { Endpoint, PodPeer, RemoteWriteTarget } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { SingleBinary, StorageBackendProps } from '../common/single-binary';

export interface MimirProps extends StorageBackendProps {
  /** The tenant writers use; the remote-write target carries it. */
  readonly tenant: string;
  /** Per-tenant ingestion rate, samples/s (`limits.ingestion_rate`). */
  readonly ingestionRate?: number;
  /** Per-tenant burst, samples (`limits.ingestion_burst_size`). */
  readonly ingestionBurstSize?: number;
  /** Active series per tenant (`limits.max_global_series_per_user`). */
  readonly maxGlobalSeriesPerUser?: number;
}

/** Mimir's defaults for every optional prop. */
export const MIMIR_DEFAULTS = {
  retention: '30d',
  storageSize: '20Gi',
  resources: { cpuRequest: '500m', memoryRequest: '1Gi', memoryLimit: '4Gi' },
  ingestionRate: 50_000,
  ingestionBurstSize: 500_000,
  maxGlobalSeriesPerUser: 500_000,
} as const;

const IDENTITY: ComponentIdentity = { name: 'mimir', instance: 'mimir', component: 'single-binary', image: 'mimir' };
const HTTP_PORT = 8080;
const GRPC_PORT = 9095;
/** Mimir's image sets no user (it would run as root); any non-root user works with fsGroup. */
const RUN_AS_USER = 10001;
const DATA = '/data';

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
export const HA_CLUSTER_LABEL = 'cluster';
export const HA_REPLICA_LABEL = '__replica__';

/** The configuration of a single-binary Mimir (classic write path, no Kafka) on its own volume. */
export function mimirConfig(props: MimirProps): object {
  return {
    multitenancy_enabled: true,
    server: { http_listen_port: HTTP_PORT, grpc_listen_port: GRPC_PORT, log_level: 'info' },
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
    ruler: {
      rule_path: `${DATA}/ruler`,
      alertmanager_url: `http://localhost:${HTTP_PORT}${MIMIR_ALERTMANAGER_PREFIX}`,
    },
    // One instance of each ring: replicate to that one.
    alertmanager: { data_dir: `${DATA}/alertmanager`, sharding_ring: { replication_factor: 1 } },
    ingester: { ring: { replication_factor: 1 } },
    store_gateway: { sharding_ring: { replication_factor: 1 } },
    // De-duplicates the samples of Prometheus replicas (see HA_CLUSTER_LABEL).
    distributor: { ha_tracker: { enable_ha_tracker: true } },
    limits: {
      compactor_blocks_retention_period: retentionHours(props.retention ?? MIMIR_DEFAULTS.retention),
      ingestion_rate: props.ingestionRate ?? MIMIR_DEFAULTS.ingestionRate,
      ingestion_burst_size: props.ingestionBurstSize ?? MIMIR_DEFAULTS.ingestionBurstSize,
      max_global_series_per_user: props.maxGlobalSeriesPerUser ?? MIMIR_DEFAULTS.maxGlobalSeriesPerUser,
      accept_ha_samples: true,
      ha_cluster_label: HA_CLUSTER_LABEL,
      ha_replica_label: HA_REPLICA_LABEL,
    },
    usage_stats: { enabled: false },
  };
}

/**
 * Mimir, the long-term metrics store, run as one binary with its Alertmanager
 * (`-target=all,alertmanager`) on a PersistentVolumeClaim: multi-tenant, Prometheus-compatible
 * query API, retention enforced by its compactor.
 */
export class Mimir extends Construct {
  readonly pods: PodPeer;
  /** Mimir's HTTP API: push, Prometheus query API (under /prometheus), Alertmanager. */
  readonly http: Endpoint;
  /** Where Prometheus-compatible writers send samples, as the environment's tenant. */
  readonly remoteWrite: RemoteWriteTarget;

  constructor(scope: Construct, id: string, props: MimirProps) {
    super(scope, id);
    const binary = new SingleBinary(this, 'mimir', {
      identity: IDENTITY,
      namespace: props.namespace,
      wiring: props.wiring,
      config: mimirConfig(props),
      configDir: '/etc/mimir',
      target: 'all,alertmanager',
      httpPort: HTTP_PORT,
      grpcPort: GRPC_PORT,
      dataPath: DATA,
      storage: { name: 'data', size: props.storageSize ?? MIMIR_DEFAULTS.storageSize, storageClassName: props.storageClassName },
      runAsUser: RUN_AS_USER,
      resources: props.resources ?? MIMIR_DEFAULTS.resources,
    });
    this.pods = binary.pods;
    this.http = binary.service.endpoint('http');
    this.remoteWrite = {
      endpoint: this.http,
      path: MIMIR_PUSH_PATH,
      tenant: props.tenant,
      deduplication: { clusterLabel: HA_CLUSTER_LABEL, replicaLabel: HA_REPLICA_LABEL },
    };
  }
}
