/**
 * The building blocks of the stack's Alloy pipelines: each function returns one component (or a
 * few) as typed Alloy blocks. Endpoints come from the backends' typed endpoints, tenants from the
 * environment; nothing here spells a Service name.
 */
import { HttpApi, RemoteWriteTarget, TENANT_HEADER } from '../common/endpoints';
import { AlloyBlock, AlloyExpression, AlloyRef } from './syntax';

/** A `rule` block of discovery.relabel. */
export interface RelabelRule {
  /** @default - none */
  readonly source_labels?: readonly string[];
  /** @default - none */
  readonly target_label?: string;
  /** @default - 'replace' (Alloy's) */
  readonly action?: 'replace' | 'keep' | 'drop' | 'labelmap' | 'keepequal' | 'dropequal' | 'labeldrop';
  /** @default - '(.*)' (Alloy's) */
  readonly regex?: string;
  /** @default - '$1' (Alloy's) */
  readonly replacement?: string;
  /** @default - ';' (Alloy's) */
  readonly separator?: string;
}

export function relabel(label: string, targets: AlloyRef | AlloyExpression, rules: readonly RelabelRule[]): AlloyBlock {
  return {
    name: 'discovery.relabel',
    label,
    attributes: { targets },
    blocks: rules.map((rule) => ({
      name: 'rule',
      attributes: {
        source_labels: rule.source_labels ? [...rule.source_labels] : undefined,
        separator: rule.separator,
        regex: rule.regex,
        action: rule.action,
        target_label: rule.target_label,
        replacement: rule.replacement,
      },
    })),
  };
}

/**
 * Pods discovered through the Kubernetes API; with `thisNodeOnly`, only the pods of the node the
 * agent runs on (its node name comes from the NODE_NAME environment variable).
 */
export function kubernetesPods(label: string, thisNodeOnly: boolean): AlloyBlock {
  return {
    name: 'discovery.kubernetes',
    label,
    attributes: { role: 'pod' },
    blocks: thisNodeOnly
      ? [{ name: 'selectors', attributes: { role: 'pod', field: new AlloyExpression('string.format("spec.nodeName=%s", sys.env("NODE_NAME"))') } }]
      : [],
  };
}

/** The labels every pod signal carries: where it comes from, in Kubernetes terms. */
export const POD_IDENTITY_RULES: readonly RelabelRule[] = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
  { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
  { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' },
  // `app`: the recommended label, else the common `app` label.
  {
    source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name', '__meta_kubernetes_pod_label_app'],
    separator: ';',
    regex: '^;*([^;]+)(;.*)?$',
    target_label: 'app',
  },
];

/**
 * Labels a writer adds to everything it sends: the cluster, as Prometheus adds it to its own
 * series, so one query or dashboard filters every signal of a cluster the same way.
 */
export type ExternalLabels = Readonly<Record<string, string>>;

/** Sends log entries to Loki's push API as the tenant. */
export function lokiWrite(label: string, push: HttpApi, tenant: string, externalLabels: ExternalLabels): AlloyBlock {
  return {
    name: 'loki.write',
    label,
    attributes: { external_labels: externalLabels },
    blocks: [{ name: 'endpoint', attributes: { url: push.url(), tenant_id: tenant } }],
  };
}

/** Sends samples to the metrics store as its remote-write target says. */
export function prometheusRemoteWrite(label: string, target: RemoteWriteTarget, externalLabels: ExternalLabels): AlloyBlock {
  return {
    name: 'prometheus.remote_write',
    label,
    attributes: { external_labels: externalLabels },
    blocks: [
      {
        name: 'endpoint',
        attributes: {
          url: target.api.url(),
          headers: target.tenant ? { [TENANT_HEADER]: target.tenant } : undefined,
          // Trace links on samples, and the native histograms OTLP exponential histograms become:
          // both are dropped unless sent explicitly.
          send_exemplars: true,
          send_native_histograms: true,
        },
      },
    ],
  };
}

/** Sends profiles to Pyroscope as the tenant (pyroscope.write has no tenant_id: a header). */
export function pyroscopeWrite(label: string, push: HttpApi, tenant: string, externalLabels: ExternalLabels): AlloyBlock {
  return {
    name: 'pyroscope.write',
    label,
    attributes: { external_labels: externalLabels },
    blocks: [{ name: 'endpoint', attributes: { url: push.url(), headers: { [TENANT_HEADER]: tenant } } }],
  };
}
