import { ResourceSpec } from '../common/resources';
import { LokiProps } from '../loki/loki';
import { PyroscopeProps } from '../pyroscope/pyroscope';
import { TempoProps } from '../tempo/tempo';

/** Settings of a storage backend an environment may change: everything but the wiring. */
type BackendSettings<P> = Omit<P, 'namespace' | 'wiring' | 'metricsRemoteWrite'>;
export type LokiSettings = BackendSettings<LokiProps>;
export type TempoSettings = BackendSettings<TempoProps>;
export type PyroscopeSettings = BackendSettings<PyroscopeProps>;

/** Verbosity of the operator's logs. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface PrometheusSettings {
  /**
   * Prometheus replicas. Each scrapes every target; two or more keep metrics flowing through a
   * node loss (Mimir de-duplicates the replicas).
   * @default 1
   */
  readonly replicas?: number;
  /** How long the local TSDB keeps samples (Prometheus duration). @default '1d' */
  readonly retention?: string;
  /** Size cap of the local TSDB (Prometheus byte size, e.g. `8GB`). @default '8GB' */
  readonly retentionSize?: string;
  /** PersistentVolumeClaim size per replica (Kubernetes quantity). @default '10Gi' */
  readonly storageSize?: string;
  /** StorageClass of the PVCs. @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Default scrape interval (Prometheus duration). @default '30s' */
  readonly scrapeInterval?: string;
  /** Rule evaluation interval (Prometheus duration). @default '30s' */
  readonly evaluationInterval?: string;
  /** @default 200m CPU / 1Gi requested, 2Gi memory limit */
  readonly resources?: ResourceSpec;
}

export interface PrometheusOperatorSettings {
  /** @default 'info' */
  readonly logLevel?: LogLevel;
  /** @default 50m CPU / 64Mi requested, 256Mi memory limit */
  readonly resources?: ResourceSpec;
}

export interface ExporterSettings {
  /** @default per exporter; see its DEFAULTS */
  readonly resources?: ResourceSpec;
}

/**
 * Everything that differs between environments. One value of this type per environment lives in
 * environments/<name>.ts; every field not set there takes the documented default.
 */
export interface StackConfig {
  /** Name of the environment; the manifests go to dist/<environment>/. A DNS label. */
  readonly environment: string;
  /** Name of the Kubernetes cluster, added as the `cluster` label to every series. */
  readonly clusterName: string;
  /** Namespace of the stack's components. @default 'observability' */
  readonly namespace?: string;
  /**
   * Namespace of the node agents that need host access (node-exporter, later the Alloy node
   * agent). It enforces the "privileged" Pod Security level, so nothing else runs there.
   * @default `${namespace}-node-agents`
   */
  readonly nodeAgentNamespace?: string;
  /**
   * Run for availability: PodDisruptionBudgets, replicas spread across zones and nodes. Needs at
   * least 2 replicas of every replicated component.
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * The tenant every writer and reader uses (`X-Scope-OrgID`) on the multi-tenant backends:
   * Prometheus, collectors and Grafana all send it.
   * @default 'platform'
   */
  readonly tenant?: string;
  readonly prometheus?: PrometheusSettings;
  readonly prometheusOperator?: PrometheusOperatorSettings;
  readonly kubeStateMetrics?: ExporterSettings;
  readonly nodeExporter?: ExporterSettings;
  /** Logs. Defaults: see LokiProps. */
  readonly loki?: LokiSettings;
  /** Traces. Defaults: see TempoProps. */
  readonly tempo?: TempoSettings;
  /** Profiles. Defaults: see PyroscopeProps. */
  readonly pyroscope?: PyroscopeSettings;
}

/** A StackConfig with every default applied; what charts and constructs receive. */
export interface ResolvedStackConfig {
  readonly environment: string;
  readonly clusterName: string;
  readonly namespace: string;
  readonly nodeAgentNamespace: string;
  readonly highAvailability: boolean;
  readonly tenant: string;
  readonly loki: LokiSettings;
  readonly tempo: TempoSettings;
  readonly pyroscope: PyroscopeSettings;
  readonly prometheus: Required<Omit<PrometheusSettings, 'storageClassName'>> & { readonly storageClassName?: string };
  readonly prometheusOperator: Required<PrometheusOperatorSettings>;
  readonly kubeStateMetrics: Required<ExporterSettings>;
  readonly nodeExporter: Required<ExporterSettings>;
}

export const DEFAULTS = {
  namespace: 'observability',
  nodeAgentNamespaceSuffix: '-node-agents',
  highAvailability: false,
  tenant: 'platform',
  prometheus: {
    replicas: 1,
    retention: '1d',
    retentionSize: '8GB',
    storageSize: '10Gi',
    scrapeInterval: '30s',
    evaluationInterval: '30s',
    resources: { cpuRequest: '200m', memoryRequest: '1Gi', memoryLimit: '2Gi' },
  },
  prometheusOperator: {
    logLevel: 'info' as LogLevel,
    resources: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  },
  kubeStateMetrics: {
    resources: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  },
  nodeExporter: {
    resources: { cpuRequest: '20m', memoryRequest: '32Mi', memoryLimit: '128Mi' },
  },
} as const;

export function applyDefaults(config: StackConfig): ResolvedStackConfig {
  const namespace = config.namespace ?? DEFAULTS.namespace;
  return {
    environment: config.environment,
    clusterName: config.clusterName,
    namespace,
    nodeAgentNamespace: config.nodeAgentNamespace ?? `${namespace}${DEFAULTS.nodeAgentNamespaceSuffix}`,
    highAvailability: config.highAvailability ?? DEFAULTS.highAvailability,
    tenant: config.tenant ?? DEFAULTS.tenant,
    // Backend defaults live on each construct's props; nothing to merge here.
    loki: config.loki ?? {},
    tempo: config.tempo ?? {},
    pyroscope: config.pyroscope ?? {},
    prometheus: { ...DEFAULTS.prometheus, ...config.prometheus },
    prometheusOperator: { ...DEFAULTS.prometheusOperator, ...config.prometheusOperator },
    kubeStateMetrics: { ...DEFAULTS.kubeStateMetrics, ...config.kubeStateMetrics },
    nodeExporter: { ...DEFAULTS.nodeExporter, ...config.nodeExporter },
  };
}
