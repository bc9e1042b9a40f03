import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { Labels } from './labels';
import { serviceAccount } from './workload';

export interface ClusterReaderProps {
  /** Name of the ServiceAccount, ClusterRole and ClusterRoleBinding. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly rules: readonly k8s.PolicyRule[];
}

/** A ClusterRole of exactly `rules`, bound to the ServiceAccount `name` of `namespace`; both named `name`. */
export function clusterRoleFor(scope: Construct, id: string, props: ClusterReaderProps): void {
  const { name, namespace, labels } = props;
  new k8s.KubeClusterRole(scope, id, { metadata: { name, labels }, rules: [...props.rules] });
  new k8s.KubeClusterRoleBinding(scope, `${id}-binding`, {
    metadata: { name, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  });
}

/** A ServiceAccount bound to a ClusterRole of exactly `rules`, all three named `name`. */
export function clusterServiceAccount(scope: Construct, props: ClusterReaderProps): void {
  serviceAccount(scope, 'service-account', { name: props.name, namespace: props.namespace, labels: props.labels });
  clusterRoleFor(scope, 'cluster-role', props);
}

export interface NamespaceRoleProps {
  /** Name of the Role and RoleBinding. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  /** The ServiceAccount (in `namespace`) the Role is bound to. */
  readonly serviceAccount: string;
  readonly rules: readonly k8s.PolicyRule[];
}

/** A Role of exactly `rules` in one namespace, bound to one ServiceAccount there. */
export function namespaceRole(scope: Construct, id: string, props: NamespaceRoleProps): void {
  const { name, namespace, labels } = props;
  new k8s.KubeRole(scope, id, { metadata: { name, namespace, labels }, rules: [...props.rules] });
  new k8s.KubeRoleBinding(scope, `${id}-binding`, {
    metadata: { name, namespace, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name: props.serviceAccount, namespace }],
  });
}
