import { ALLOY_DEFAULTS } from '../alloy/alloy';
import { GrafanaProps } from '../grafana/grafana';
import { KafkaSettings } from '../common/kafka';
import { ObjectStorage } from '../common/object-storage';
import { ResourceSpec } from '../common/resources';
import { KUBE_STATE_METRICS_DEFAULTS } from '../kube-state-metrics/kube-state-metrics';
import { NODE_EXPORTER_DEFAULTS } from '../node-exporter/node-exporter';
import { PROMETHEUS_DEFAULTS, PrometheusProps } from '../prometheus/prometheus';
import { PROMETHEUS_OPERATOR_DEFAULTS, PrometheusOperatorProps } from '../prometheus-operator/prometheus-operator';
import { LokiProps } from '../loki/loki';
import { MimirProps } from '../mimir/mimir';
import { PyroscopeProps } from '../pyroscope/pyroscope';
import { TempoProps } from '../tempo/tempo';
import { OpenCostPricing } from '../opencost/opencost';
import { IngressSettings } from '../common/ingress';

/** Settings of a storage backend an environment may change: everything but the wiring. */
type BackendSettings<P> = Omit<P, 'namespace' | 'wiring' | 'metricsRemoteWrite' | 'tenant' | 'objectStorage' | 'highAvailability' | 'availabilityZones' | 'kafka' | 'clusterDomain' | 'clusterName'>;
export type MimirSettings = BackendSettings<MimirProps>;
export type LokiSettings = BackendSettings<LokiProps>;
export type TempoSettings = BackendSettings<TempoProps>;
export type PyroscopeSettings = BackendSettings<PyroscopeProps>;

export { LOG_LEVELS } from '../prometheus-operator/prometheus-operator';
export type { LogLevel } from '../prometheus-operator/prometheus-operator';

/** Prometheus settings an environment may change. Defaults: PROMETHEUS_DEFAULTS. */
export type PrometheusSettings = Omit<PrometheusProps, 'namespace' | 'wiring' | 'clusterName' | 'highAvailability' | 'remoteWrite'>;

/** Operator settings. Defaults: PROMETHEUS_OPERATOR_DEFAULTS. */
export type PrometheusOperatorSettings = Pick<PrometheusOperatorProps, 'logLevel' | 'resources'>;

/** Grafana. Defaults: GRAFANA_DEFAULTS. */
export type GrafanaSettings = Omit<GrafanaProps, 'namespace' | 'wiring' | 'tenant' | 'datasources' | 'metricsScrapeInterval'>;

/** Cost allocation. Defaults: OPENCOST_DEFAULTS. */
export interface OpenCostSettings {
  /** @default true */
  readonly enabled?: boolean;
  /** Cloud list prices, or your own prices on premises. @default OpenCost's on-premises defaults */
  readonly pricing?: OpenCostPricing;
  readonly resources?: ResourceSpec;
  /** How users reach the OpenCost UI. @default - no Ingress: `kubectl port-forward svc/opencost-ui 9090` */
  readonly ingress?: IngressSettings;
}

/** The collectors. Defaults: ALLOY_DEFAULTS. */
export interface AlloySettings {
  readonly nodeAgentResources?: ResourceSpec;
  /** Replicas of the clustered collector; at least 2 with highAvailability. */
  readonly collectorReplicas?: number;
  readonly collectorResources?: ResourceSpec;
  /** Volume of each collector replica: its WAL, queues and event positions. */
  readonly collectorStorageSize?: string;
}

/** Exporter settings. Defaults: KUBE_STATE_METRICS_DEFAULTS, NODE_EXPORTER_DEFAULTS. */
export interface ExporterSettings {
  readonly resources?: ResourceSpec;
}

/**
 * The smallest cluster an environment is meant to run on. The scheduling test places every pod of
 * dist/ on it and removes each node and each zone in turn; with highAvailability, the zones of
 * zoned components (Mimir ingesters, Tempo live-stores) are pinned to its zones, in order.
 */
export interface ClusterShape {
  /** Availability zones of the nodes, as their `topology.kubernetes.io/zone` label says. */
  readonly zones: readonly string[];
  /** Worker nodes in each zone. */
  readonly nodesPerZone: number;
  /** CPU one node can give to pods (its allocatable CPU, a Kubernetes quantity). */
  readonly nodeCpu: string;
  /** Memory one node can give to pods (its allocatable memory, a Kubernetes quantity). */
  readonly nodeMemory: string;
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
  /**
   * The smallest cluster the environment targets: zones, nodes per zone, allocatable CPU and
   * memory per node.
   * @default DEFAULTS.cluster: one zone of one node with 4 CPU and 16 GiB
   */
  readonly cluster?: ClusterShape;
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
  /**
   * The cluster's DNS domain, for the few peers that must name each other by fully qualified
   * DNS names (Pyroscope's Raft metastore).
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  readonly prometheus?: PrometheusSettings;
  readonly prometheusOperator?: PrometheusOperatorSettings;
  readonly kubeStateMetrics?: ExporterSettings;
  readonly nodeExporter?: ExporterSettings;
  /**
   * Object storage for the backends that run `scalable`: provider, endpoint, one bucket per
   * signal, and the name of the Secret with the credentials (never the credentials themselves).
   * @default - none: every backend must run `monolithic`
   */
  readonly objectStorage?: ObjectStorage;
  /**
   * An existing Kafka cluster: the write-ahead log of the backends that need one when they run
   * `scalable` (Tempo 3). Address, one topic per signal, partitions, SASL Secret by name.
   * @default - none
   */
  readonly kafka?: KafkaSettings;
  /** Metrics. Defaults: see MimirProps. */
  readonly mimir?: MimirSettings;
  /** Logs. Defaults: see LokiProps. */
  readonly loki?: LokiSettings;
  /** Traces. Defaults: see TempoProps. */
  readonly tempo?: TempoSettings;
  /** Profiles. Defaults: see PyroscopeProps. */
  readonly pyroscope?: PyroscopeSettings;
  /** The Alloy node agent and clustered collector. */
  readonly alloy?: AlloySettings;
  /** Grafana: URL, admin Secret, Keycloak SSO, Ingress. */
  readonly grafana?: GrafanaSettings;
  /** OpenCost: cost per namespace and workload, priced by cloud or by your own prices. */
  readonly opencost?: OpenCostSettings;
}

/** A StackConfig with every default applied; what charts and constructs receive. */
export interface ResolvedStackConfig {
  readonly environment: string;
  readonly clusterName: string;
  readonly cluster: ClusterShape;
  readonly namespace: string;
  readonly nodeAgentNamespace: string;
  readonly highAvailability: boolean;
  readonly tenant: string;
  readonly clusterDomain: string;
  readonly objectStorage?: ObjectStorage;
  readonly kafka?: KafkaSettings;
  readonly mimir: MimirSettings;
  readonly loki: LokiSettings;
  readonly tempo: TempoSettings;
  readonly pyroscope: PyroscopeSettings;
  readonly alloy: Required<AlloySettings>;
  readonly grafana: GrafanaSettings;
  readonly opencost: OpenCostSettings & { readonly enabled: boolean };
  readonly prometheus: Required<Omit<PrometheusSettings, 'storageClassName'>> & { readonly storageClassName?: string };
  readonly prometheusOperator: Required<PrometheusOperatorSettings>;
  readonly kubeStateMetrics: Required<ExporterSettings>;
  readonly nodeExporter: Required<ExporterSettings>;
}

export const DEFAULTS = {
  cluster: { zones: ['zone-1'], nodesPerZone: 1, nodeCpu: '4', nodeMemory: '16Gi' } satisfies ClusterShape,
  namespace: 'observability',
  nodeAgentNamespaceSuffix: '-node-agents',
  highAvailability: false,
  tenant: 'platform',
  clusterDomain: 'cluster.local',
  prometheus: PROMETHEUS_DEFAULTS,
  prometheusOperator: PROMETHEUS_OPERATOR_DEFAULTS,
  kubeStateMetrics: KUBE_STATE_METRICS_DEFAULTS,
  nodeExporter: NODE_EXPORTER_DEFAULTS,
  alloy: ALLOY_DEFAULTS,
} as const;

export function applyDefaults(config: StackConfig): ResolvedStackConfig {
  const namespace = config.namespace ?? DEFAULTS.namespace;
  return {
    environment: config.environment,
    clusterName: config.clusterName,
    cluster: config.cluster ?? DEFAULTS.cluster,
    namespace,
    nodeAgentNamespace: config.nodeAgentNamespace ?? `${namespace}${DEFAULTS.nodeAgentNamespaceSuffix}`,
    highAvailability: config.highAvailability ?? DEFAULTS.highAvailability,
    tenant: config.tenant ?? DEFAULTS.tenant,
    clusterDomain: config.clusterDomain ?? DEFAULTS.clusterDomain,
    objectStorage: config.objectStorage,
    kafka: config.kafka,
    // Backend defaults live on each construct's props; nothing to merge here.
    mimir: config.mimir ?? {},
    loki: config.loki ?? {},
    tempo: config.tempo ?? {},
    pyroscope: config.pyroscope ?? {},
    alloy: { ...DEFAULTS.alloy, ...config.alloy },
    grafana: config.grafana ?? {},
    opencost: { ...config.opencost, enabled: config.opencost?.enabled ?? true },
    prometheus: { ...DEFAULTS.prometheus, ...config.prometheus },
    prometheusOperator: { ...DEFAULTS.prometheusOperator, ...config.prometheusOperator },
    kubeStateMetrics: { ...DEFAULTS.kubeStateMetrics, ...config.kubeStateMetrics },
    nodeExporter: { ...DEFAULTS.nodeExporter, ...config.nodeExporter },
  };
}
