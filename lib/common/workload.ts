import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { PodPeer } from './endpoints';
import { imageOf, ImageName } from './images';
import { ComponentIdentity, Labels, selectorLabels, standardLabels } from './labels';
import { ResourceSpec, toResourceRequirements } from './resources';
import { HostAccess, hostAccessAnnotation, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './security';

/** Annotation on pod templates holding a hash of the configuration the pods mount. */
export const CONFIG_CHECKSUM_ANNOTATION = 'checksum/config';

/** A content hash of configuration files; put on a pod template, a config change rolls the pods. */
export function configChecksum(...contents: string[]): string {
  const hash = createHash('sha256');
  for (const c of contents) hash.update(c).update('\0');
  return hash.digest('hex');
}

export interface ContainerPortSpec {
  readonly name: string;
  readonly containerPort: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Only for host-network pods, where it must equal containerPort. @default - none */
  readonly hostPort?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: ImageName;
  /** @default - the image's */
  readonly args?: readonly string[];
  /** @default - none */
  readonly env?: readonly k8s.EnvVar[];
  /** @default - none */
  readonly ports?: readonly ContainerPortSpec[];
  readonly resources: ResourceSpec;
  readonly readinessProbe: k8s.Probe;
  readonly livenessProbe: k8s.Probe;
  /** @default - none */
  readonly startupProbe?: k8s.Probe;
  /** @default - none */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  /** @default - the image's working directory */
  readonly workingDir?: string;
}

/** A container that runs to completion before the others start, e.g. to prepare a volume. */
export interface InitContainerSpec {
  readonly name: string;
  readonly image: ImageName;
  readonly command: readonly string[];
  readonly resources: ResourceSpec;
  readonly volumeMounts: readonly k8s.VolumeMount[];
}

export interface SpreadSettings {
  /** Spread replicas across `topology.kubernetes.io/zone`. */
  readonly acrossZones: boolean;
  /** Spread replicas across nodes. */
  readonly acrossNodes: boolean;
  /**
   * Prefer, not require, the spread across nodes: pods pinned to one availability zone may
   * outnumber its nodes, and must still schedule. @default false
   */
  readonly preferNodes?: boolean;
}

export interface PodTemplateProps {
  readonly identity: ComponentIdentity;
  readonly containers: readonly ContainerSpec[];
  /** The UID (and GID) the images run as. */
  readonly runAsUser: number;
  /** @default - the namespace's `default` ServiceAccount, without a token */
  readonly serviceAccountName?: string;
  /**
   * Mount the ServiceAccount token: only for pods that call the Kubernetes API.
   * @default false
   */
  readonly apiAccess?: boolean;
  /** @default - none */
  readonly volumes?: readonly k8s.Volume[];
  /** @default - none */
  readonly initContainers?: readonly InitContainerSpec[];
  /** Hash of the mounted configuration (see configChecksum). @default - none */
  readonly configChecksum?: string;
  /** Host access for node agents, each item with its reason. @default - none */
  readonly hostAccess?: HostAccess;
  /** @default - no topology spread */
  readonly spread?: SpreadSettings;
  /** @default - none; node agents tolerate every taint */
  readonly tolerations?: readonly k8s.Toleration[];
  /** @default - none */
  readonly priorityClassName?: string;
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default - none */
  readonly affinity?: k8s.Affinity;
}

function container(spec: ContainerSpec, access: HostAccess | undefined): k8s.Container {
  const added = Object.keys(access?.capabilities ?? {});
  const restricted = restrictedContainerSecurityContext();
  // Host access relaxes exactly what it declares, nothing else.
  const securityContext: k8s.SecurityContext = {
    ...restricted,
    runAsNonRoot: access?.runAsRoot ? false : restricted.runAsNonRoot,
    runAsUser: access?.runAsRoot ? 0 : undefined,
    capabilities: { drop: ['ALL'], add: added.length ? added : undefined },
    seccompProfile: access?.unconfinedSeccomp ? { type: 'Unconfined' } : restricted.seccompProfile,
  };
  // Named properties, not spreads, so that a misspelled field fails to compile.
  return {
    name: spec.name,
    image: imageOf(spec.image),
    imagePullPolicy: 'IfNotPresent',
    args: spec.args ? [...spec.args] : undefined,
    env: spec.env ? [...spec.env] : undefined,
    workingDir: spec.workingDir,
    ports: spec.ports?.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP', hostPort: p.hostPort })),
    resources: toResourceRequirements(spec.resources),
    readinessProbe: spec.readinessProbe,
    livenessProbe: spec.livenessProbe,
    startupProbe: spec.startupProbe,
    volumeMounts: spec.volumeMounts ? [...spec.volumeMounts] : undefined,
    securityContext,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

export function topologySpread(labels: Labels, spread: SpreadSettings): k8s.TopologySpreadConstraint[] {
  const constraints: k8s.TopologySpreadConstraint[] = [];
  if (spread.acrossZones) {
    constraints.push({
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: labels },
    });
  }
  if (spread.acrossNodes) {
    constraints.push({
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: spread.preferNodes ? 'ScheduleAnyway' : 'DoNotSchedule',
      labelSelector: { matchLabels: labels },
    });
  }
  return constraints;
}

/**
 * The pod template every workload of the stack uses: standard labels, the "restricted" security
 * profile, resources and probes on every container, the config checksum, and (for node agents)
 * declared host access.
 */
export function podTemplate(props: PodTemplateProps): k8s.PodTemplateSpec {
  const selector = selectorLabels(props.identity);
  const annotations: Record<string, string> = {
    'kubectl.kubernetes.io/default-container': props.containers[0].name,
    ...(props.configChecksum ? { [CONFIG_CHECKSUM_ANNOTATION]: props.configChecksum } : {}),
    ...(props.hostAccess ? hostAccessAnnotation(props.hostAccess) : {}),
  };
  const spreadConstraints = props.spread ? topologySpread(selector, props.spread) : [];
  return {
    metadata: { labels: standardLabels(props.identity), annotations },
    spec: {
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: props.apiAccess ?? false,
      enableServiceLinks: false,
      securityContext: props.hostAccess?.runAsRoot
        ? { ...restrictedPodSecurityContext(0), runAsNonRoot: false }
        : restrictedPodSecurityContext(props.runAsUser),
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      hostNetwork: props.hostAccess?.hostNetwork ? true : undefined,
      dnsPolicy: props.hostAccess?.hostNetwork ? 'ClusterFirstWithHostNet' : undefined,
      hostPid: props.hostAccess?.hostPID ? true : undefined,
      priorityClassName: props.priorityClassName,
      tolerations: props.tolerations ? [...props.tolerations] : undefined,
      topologySpreadConstraints: spreadConstraints.length ? spreadConstraints : undefined,
      affinity: props.affinity,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
      initContainers: props.initContainers?.map((c) => ({
        name: c.name,
        image: imageOf(c.image),
        imagePullPolicy: 'IfNotPresent',
        command: [...c.command],
        resources: toResourceRequirements(c.resources),
        volumeMounts: [...c.volumeMounts],
        securityContext: restrictedContainerSecurityContext(),
        terminationMessagePolicy: 'FallbackToLogsOnError',
      })),
      containers: props.containers.map((c) => container(c, props.hostAccess)),
      volumes: props.volumes ? [...props.volumes] : undefined,
    },
  };
}

/** The pods of a component, as a NetworkPolicy peer / Service selector. */
export function podPeer(identity: ComponentIdentity, namespace: string): PodPeer {
  return { name: identity.instance, namespace, podLabels: selectorLabels(identity) };
}

export interface ServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
}

/** A ServiceAccount whose token is mounted only where a pod template asks for it. */
export function serviceAccount(scope: Construct, id: string, props: ServiceAccountProps): k8s.KubeServiceAccount {
  return new k8s.KubeServiceAccount(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    automountServiceAccountToken: false,
  });
}

/** Keeps all but one replica up through voluntary disruptions (node drains, upgrades). */
export function podDisruptionBudget(
  scope: Construct,
  id: string,
  props: {
    readonly name: string;
    readonly namespace: string;
    readonly identity: ComponentIdentity;
    /** Pods covered, when they are more than the identity's own (the zones of a rollout group). @default - the identity's pods */
    readonly selector?: k8s.LabelSelector;
  },
): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name: props.name, namespace: props.namespace, labels: standardLabels(props.identity) },
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(1),
      selector: props.selector ?? { matchLabels: selectorLabels(props.identity) },
    },
  });
}
