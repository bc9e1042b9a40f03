import { ImageName, versionOf } from './images';

/** The name of the whole product, for `app.kubernetes.io/part-of`. */
export const PART_OF = 'observability-stack';
export const MANAGED_BY = 'cdk8s';

/**
 * The label naming the cluster a series came from: Prometheus sets it as an external label and
 * Mimir's HA tracker groups replicas by it; dashboards filter on it.
 */
export const CLUSTER_LABEL = 'cluster';

/** Who a workload is: the source of its labels and of the selectors that find its pods. */
export interface ComponentIdentity {
  /** `app.kubernetes.io/name`, e.g. `kube-state-metrics`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`; distinguishes two installs of one component. */
  readonly instance: string;
  /** `app.kubernetes.io/component`, e.g. `exporter`, `controller`, `ingester`. */
  readonly component: string;
  /** Image whose tag gives `app.kubernetes.io/version`. */
  readonly image: ImageName;
}

export type Labels = Record<string, string>;

/**
 * The labels that select a component's pods. `app.kubernetes.io/version` is left out on purpose:
 * selectors are immutable, and an upgrade must not need the workload to be deleted.
 */
export function selectorLabels(id: ComponentIdentity): Labels {
  return {
    'app.kubernetes.io/name': id.name,
    'app.kubernetes.io/instance': id.instance,
    'app.kubernetes.io/component': id.component,
  };
}

/** The full set of recommended labels, for metadata of every object and pod template. */
export function standardLabels(id: ComponentIdentity): Labels {
  return {
    ...selectorLabels(id),
    'app.kubernetes.io/version': versionOf(id.image),
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

/** Labels for objects that belong to the stack but to no single component (namespaces, policies). */
export function stackLabels(): Labels {
  return {
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}
