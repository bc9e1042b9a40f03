import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { selectorLabels, standardLabels } from './labels';
import { podDisruptionBudget, podTemplate, PodTemplateProps } from './workload';

export interface PersistentStorage {
  /** Volume name; the container mounts it. */
  readonly name: string;
  /** Kubernetes quantity, e.g. `10Gi`. */
  readonly size: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

export interface StatefulWorkloadProps extends PodTemplateProps {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  /** Headless Service that gives each pod its DNS name. */
  readonly serviceName: string;
  /** One PVC per pod. @default - none */
  readonly storage?: PersistentStorage;
  /** Render a PodDisruptionBudget (maxUnavailable 1). @default false */
  readonly disruptionBudget?: boolean;
  /** Extra pod labels, e.g. the memberlist membership label. @default - none */
  readonly extraPodLabels?: Record<string, string>;
  /**
   * `OnDelete` leaves pod restarts to an operator (the rollout-operator rolls zones one after
   * another). @default 'RollingUpdate'
   */
  readonly updateStrategy?: 'RollingUpdate' | 'OnDelete';
  /** Further labels and annotations of the StatefulSet itself (rollout group...). @default - none */
  readonly extraLabels?: Record<string, string>;
  /** @default - none */
  readonly annotations?: Record<string, string>;
}

/**
 * A StatefulSet written with the core binding, because cdk8s-plus-28's StatefulSet cannot render
 * volumeClaimTemplates: one PVC per pod, pods started in parallel (ring members find each other),
 * and the stack's pod template.
 */
export function statefulWorkload(scope: Construct, id: string, props: StatefulWorkloadProps): k8s.KubeStatefulSet {
  const template = podTemplate(props);
  const labelled: k8s.PodTemplateSpec = props.extraPodLabels
    ? { ...template, metadata: { ...template.metadata, labels: { ...template.metadata!.labels, ...props.extraPodLabels } } }
    : template;
  const statefulSet = new k8s.KubeStatefulSet(scope, id, {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: { ...standardLabels(props.identity), ...props.extraLabels },
      annotations: props.annotations,
    },
    spec: {
      replicas: props.replicas,
      serviceName: props.serviceName,
      podManagementPolicy: 'Parallel',
      updateStrategy: { type: props.updateStrategy ?? 'RollingUpdate' },
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(props.identity) },
      template: labelled,
      volumeClaimTemplates: props.storage
        ? [
            {
              metadata: { name: props.storage.name, labels: selectorLabels(props.identity) },
              spec: {
                accessModes: ['ReadWriteOnce'],
                storageClassName: props.storage.storageClassName,
                resources: { requests: { storage: k8s.Quantity.fromString(props.storage.size) } },
              },
            },
          ]
        : undefined,
    },
  });
  if (props.disruptionBudget) podDisruptionBudget(scope, `${id}-pdb`, { name: props.name, namespace: props.namespace, identity: props.identity });
  return statefulSet;
}
