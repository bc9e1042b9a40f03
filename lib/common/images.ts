/**
 * Every container image the stack runs, pinned in one place so that an upgrade is one reviewed
 * diff. The `app.kubernetes.io/version` label of each component is derived from the same entry.
 */
export interface ImageRef {
  /** Registry and repository, without tag. */
  readonly repository: string;
  /** Immutable release tag. */
  readonly tag: string;
}

export const IMAGES = {
  /** Must match the CRDs vendored in crds/prometheus-operator-v0.93.1. */
  prometheusOperator: { repository: 'quay.io/prometheus-operator/prometheus-operator', tag: 'v0.93.1' },
  prometheusConfigReloader: { repository: 'quay.io/prometheus-operator/prometheus-config-reloader', tag: 'v0.93.1' },
  /** The newest patch of the 3.13 LTS line (3.13.2 carried security fixes); docs/research/versions.md. */
  prometheus: { repository: 'quay.io/prometheus/prometheus', tag: 'v3.13.3' },
  /** Metric names recorded in lib/dashboards/catalog/kube-state-metrics.json (same version). */
  kubeStateMetrics: { repository: 'registry.k8s.io/kube-state-metrics/kube-state-metrics', tag: 'v2.20.0' },
  nodeExporter: { repository: 'quay.io/prometheus/node-exporter', tag: 'v1.12.1' },
  /** INI keys checked against lib/grafana/config-reference.json (same version). */
  grafana: { repository: 'docker.io/grafana/grafana', tag: '13.2.3' },
  /** Components and arguments checked against lib/alloy/component-reference.json (same version). */
  alloy: { repository: 'docker.io/grafana/alloy', tag: 'v1.18.1' },
  /** Config keys checked against lib/mimir/config-reference.json (same version). */
  mimir: { repository: 'docker.io/grafana/mimir', tag: '3.2.1' },
  /** Config keys checked against lib/loki/config-reference.json (same version). */
  loki: { repository: 'docker.io/grafana/loki', tag: '3.7.8' },
  /** Config keys checked against lib/tempo/config-reference.json (same version). */
  tempo: { repository: 'docker.io/grafana/tempo', tag: '3.0.3' },
  /** Config keys checked against lib/pyroscope/config-reference.json (same version). */
  pyroscope: { repository: 'docker.io/grafana/pyroscope', tag: '2.2.1' },
  /** Env and metrics from docs/research/opencost.md; metric names in lib/dashboards/catalog/opencost.json. */
  opencost: { repository: 'ghcr.io/opencost/opencost', tag: '1.120.3' },
  /** Released together with the backend. */
  opencostUi: { repository: 'ghcr.io/opencost/opencost-ui', tag: '1.120.3' },
  /** Rolls zoned StatefulSets one zone after another; its CRD is lib/rollout-operator's. */
  rolloutOperator: { repository: 'docker.io/grafana/rollout-operator', tag: 'v0.38.1' },
} as const satisfies Record<string, ImageRef>;

export type ImageName = keyof typeof IMAGES;

/** `repository:tag`, as a container `image` field wants it. */
export function imageOf(name: ImageName): string {
  const image = IMAGES[name];
  return `${image.repository}:${image.tag}`;
}

/** The version for `app.kubernetes.io/version`: the tag without its leading `v` (Grafana's images have none). */
export function versionOf(name: ImageName): string {
  return IMAGES[name].tag.replace(/^v/, '');
}
