import { AlloySettings } from '../alloy/alloy';
import { GrafanaSettings } from '../grafana/grafana';
import { KafkaSettings } from '../common/kafka';
import { ObjectStorage } from '../common/object-storage';
import { KubeStateMetricsSettings } from '../kube-state-metrics/kube-state-metrics';
import { NodeExporterSettings } from '../node-exporter/node-exporter';
import { PrometheusSettings } from '../prometheus/prometheus';
import { PrometheusOperatorSettings } from '../prometheus-operator/prometheus-operator';
import { LokiSettings } from '../loki/loki';
import { MimirSettings } from '../mimir/mimir';
import { PyroscopeSettings } from '../pyroscope/pyroscope';
import { TempoSettings } from '../tempo/tempo';
import { OpenCostSettings } from '../opencost/opencost';

export { LOG_LEVELS } from '../prometheus-operator/prometheus-operator';
export type { LogLevel } from '../prometheus-operator/prometheus-operator';

/** OpenCost, with the switch that leaves it out. */
export interface OpenCostStackSettings extends OpenCostSettings {
  /** @default true */
  readonly enabled?: boolean;
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
   * @default - `${namespace}-node-agents`
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
  /** Prometheus: replicas, local retention, scrape interval. @default - PROMETHEUS_DEFAULTS */
  readonly prometheus?: PrometheusSettings;
  /** @default - PROMETHEUS_OPERATOR_DEFAULTS */
  readonly prometheusOperator?: PrometheusOperatorSettings;
  /** @default - KUBE_STATE_METRICS_DEFAULTS */
  readonly kubeStateMetrics?: KubeStateMetricsSettings;
  /** @default - NODE_EXPORTER_DEFAULTS */
  readonly nodeExporter?: NodeExporterSettings;
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
  /** Metrics. @default - MIMIR_DEFAULTS: monolithic */
  readonly mimir?: MimirSettings;
  /** Logs. @default - LOKI_DEFAULTS: monolithic */
  readonly loki?: LokiSettings;
  /** Traces. @default - TEMPO_DEFAULTS: monolithic */
  readonly tempo?: TempoSettings;
  /** Profiles. @default - PYROSCOPE_DEFAULTS: monolithic */
  readonly pyroscope?: PyroscopeSettings;
  /** The Alloy node agent and clustered collector. @default - ALLOY_DEFAULTS */
  readonly alloy?: AlloySettings;
  /** Grafana: URL, admin Secret, Keycloak SSO, Ingress. @default - GRAFANA_DEFAULTS: no SSO, no Ingress */
  readonly grafana?: GrafanaSettings;
  /** OpenCost: cost per namespace and workload, priced by cloud or by your own prices. @default - enabled, OPENCOST_DEFAULTS */
  readonly opencost?: OpenCostStackSettings;
}

/**
 * A StackConfig with the stack-wide defaults applied: what charts receive. Each component's
 * settings stay as the environment wrote them; its construct applies its own defaults, once.
 */
export interface ResolvedStackConfig {
  readonly environment: string;
  readonly clusterName: string;
  readonly cluster: ClusterShape;
  readonly namespace: string;
  readonly nodeAgentNamespace: string;
  readonly highAvailability: boolean;
  readonly tenant: string;
  readonly clusterDomain: string;
  /** @default - none */
  readonly objectStorage?: ObjectStorage;
  /** @default - none */
  readonly kafka?: KafkaSettings;
  readonly prometheus: PrometheusSettings;
  readonly prometheusOperator: PrometheusOperatorSettings;
  readonly kubeStateMetrics: KubeStateMetricsSettings;
  readonly nodeExporter: NodeExporterSettings;
  readonly mimir: MimirSettings;
  readonly loki: LokiSettings;
  readonly tempo: TempoSettings;
  readonly pyroscope: PyroscopeSettings;
  readonly alloy: AlloySettings;
  readonly grafana: GrafanaSettings;
  readonly opencost: OpenCostSettings & { readonly enabled: boolean };
}

export const DEFAULTS = {
  cluster: { zones: ['zone-1'], nodesPerZone: 1, nodeCpu: '4', nodeMemory: '16Gi' } satisfies ClusterShape,
  namespace: 'observability',
  nodeAgentNamespaceSuffix: '-node-agents',
  highAvailability: false,
  tenant: 'platform',
  clusterDomain: 'cluster.local',
  opencostEnabled: true,
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
    prometheus: config.prometheus ?? {},
    prometheusOperator: config.prometheusOperator ?? {},
    kubeStateMetrics: config.kubeStateMetrics ?? {},
    nodeExporter: config.nodeExporter ?? {},
    mimir: config.mimir ?? {},
    loki: config.loki ?? {},
    tempo: config.tempo ?? {},
    pyroscope: config.pyroscope ?? {},
    alloy: config.alloy ?? {},
    grafana: config.grafana ?? {},
    opencost: { ...config.opencost, enabled: config.opencost?.enabled ?? DEFAULTS.opencostEnabled },
  };
}
