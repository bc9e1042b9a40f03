import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PodPeer, ServicePortSpec, ServiceRef, workloadScope, WorkloadScope } from './endpoints';
import { ComponentIdentity, Labels, standardLabels } from './labels';
import { MonitorEndpoint, monitorService } from './monitoring';
import { clusterRoleFor, namespaceRole } from './rbac';
import { PersistentStorage, statefulWorkload } from './stateful-workload';
import { StackWiring } from './wiring';
import { PodTemplateProps, podPeer, podTemplate, serviceAccount } from './workload';

/** What a workload may do through the Kubernetes API, beyond having a token. */
export interface WorkloadAccess {
  /** A ClusterRole of exactly these rules, named after the workload. @default - none */
  readonly clusterRules?: readonly k8s.PolicyRule[];
  /** A Role of exactly these rules in the workload's namespace, named after it. @default - none */
  readonly namespaceRules?: readonly k8s.PolicyRule[];
}

/** A ConfigMap the workload mounts, created before it so its content can be hashed onto the pods. */
export interface ConfigFiles {
  readonly name: string;
  readonly data: Readonly<Record<string, string>>;
}

export interface ServiceWorkloadProps {
  readonly identity: ComponentIdentity;
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** Name of every object. @default - identity.instance */
  readonly name?: string;
  /** @default 'Deployment' */
  readonly kind?: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  /** Deployments and StatefulSets. @default 1 */
  readonly replicas?: number;
  /** Deployments: `Recreate` replaces the pod instead of running two. @default - RollingUpdate */
  readonly recreate?: boolean;
  /** @default - none */
  readonly minReadySeconds?: number;
  /** Annotations of the workload object itself. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** A ServiceAccount of its own; without it the pods run as the namespace's default, without a token. @default true */
  readonly serviceAccount?: boolean;
  /** API access of that ServiceAccount. @default - none */
  readonly access?: WorkloadAccess;
  /** ConfigMaps it mounts. @default - none */
  readonly configMaps?: readonly ConfigFiles[];
  /** A standalone PersistentVolumeClaim, named `<name>-data` (a Deployment of one replica). @default - none */
  readonly dataClaim?: { readonly size: string; readonly storageClassName?: string };
  /** The pods. */
  readonly pod: Omit<PodTemplateProps, 'identity' | 'serviceAccountName'>;
  /** StatefulSets: one PVC per pod. @default - none */
  readonly storage?: PersistentStorage;
  /** StatefulSets: the headless Service that names its pods, with the ports peers use. @default - none (required for StatefulSets) */
  readonly governingService?: { readonly name: string; readonly ports: readonly string[]; readonly publishNotReadyAddresses?: boolean };
  /** A PodDisruptionBudget (maxUnavailable 1). @default false */
  readonly disruptionBudget?: boolean;
  /** The Service's ports. */
  readonly ports: readonly ServicePortSpec[];
  /** @default false */
  readonly headless?: boolean;
  /** What Prometheus scrapes on the Service. @default - not scraped */
  readonly monitor?: {
    readonly endpoints: readonly MonitorEndpoint[];
    readonly hostNetwork?: boolean;
    readonly nodeNameLabels?: readonly string[];
  };
}

/**
 * The plain service workload of the stack: a ServiceAccount (and its RBAC), the ConfigMaps it
 * mounts, a Deployment, DaemonSet or StatefulSet of the stack's pod template, its Service and its
 * ServiceMonitor, in that order. Every component that is not a database built of microservices
 * is one of these.
 */
export class ServiceWorkload extends Construct {
  readonly name: string;
  readonly labels: Labels;
  readonly pods: PodPeer;
  readonly scope: WorkloadScope;
  readonly service: ServiceRef;

  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { identity, namespace } = props;
    const name = props.name ?? identity.instance;
    const labels = standardLabels(identity);
    this.name = name;
    this.labels = labels;
    this.pods = podPeer(identity, namespace);
    this.scope = workloadScope(name, namespace);
    const withAccount = props.serviceAccount ?? true;

    if (withAccount) serviceAccount(this, 'service-account', { name, namespace, labels });
    if (props.access?.clusterRules) clusterRoleFor(this, 'cluster-role', { name, namespace, labels, rules: props.access.clusterRules });
    if (props.access?.namespaceRules) namespaceRole(this, 'role', { name, namespace, labels, serviceAccount: name, rules: props.access.namespaceRules });
    for (const files of props.configMaps ?? []) {
      new k8s.KubeConfigMap(this, `config-${files.name}`, { metadata: { name: files.name, namespace, labels }, data: { ...files.data } });
    }
    if (props.dataClaim) {
      new k8s.KubePersistentVolumeClaim(this, 'data', {
        metadata: { name: `${name}-data`, namespace, labels },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: props.dataClaim.storageClassName,
          resources: { requests: { storage: k8s.Quantity.fromString(props.dataClaim.size) } },
        },
      });
    }

    const pod = { ...props.pod, identity, serviceAccountName: withAccount ? name : undefined };
    const metadata = { name, namespace, labels, annotations: props.annotations ? { ...props.annotations } : undefined };
    switch (props.kind ?? 'Deployment') {
      case 'Deployment':
        new k8s.KubeDeployment(this, 'deployment', {
          metadata,
          spec: {
            replicas: props.replicas ?? 1,
            revisionHistoryLimit: 5,
            minReadySeconds: props.minReadySeconds,
            strategy: props.recreate ? { type: 'Recreate' } : undefined,
            selector: { matchLabels: this.pods.podLabels },
            template: podTemplate(pod),
          },
        });
        break;
      case 'DaemonSet':
        new k8s.KubeDaemonSet(this, 'daemon-set', {
          metadata,
          spec: {
            revisionHistoryLimit: 5,
            selector: { matchLabels: this.pods.podLabels },
            // A tenth of the nodes at a time: a node agent is one pod per node, not a replica set.
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
            template: podTemplate(pod),
          },
        });
        break;
      case 'StatefulSet':
        if (!props.governingService) throw new Error(`${name}: a StatefulSet needs its governingService`);
        statefulWorkload(this, 'stateful-set', {
          ...pod,
          name,
          namespace,
          replicas: props.replicas ?? 1,
          serviceName: props.governingService.name,
          storage: props.storage,
          disruptionBudget: props.disruptionBudget,
        });
        break;
    }

    this.service = new ServiceRef(this, 'service', { name, namespace, labels, pods: this.pods, ports: props.ports, headless: props.headless });
    if (props.governingService) {
      const governed = props.governingService;
      new ServiceRef(this, 'governing-service', {
        name: governed.name,
        namespace,
        labels,
        pods: this.pods,
        headless: true,
        publishNotReadyAddresses: governed.publishNotReadyAddresses,
        ports: props.ports.filter((p) => governed.ports.includes(p.name)),
      });
    }
    if (props.monitor) {
      monitorService(this, 'service-monitor', {
        service: this.service,
        labels,
        wiring: props.wiring,
        endpoints: props.monitor.endpoints,
        hostNetwork: props.monitor.hostNetwork,
        nodeNameLabels: props.monitor.nodeNameLabels,
      });
    }
  }
}
