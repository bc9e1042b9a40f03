import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { dump } from 'js-yaml';
import { PodPeer, ServicePortSpec, ServiceRef } from './endpoints';
import { ImageName } from './images';
import { ComponentIdentity, selectorLabels, standardLabels } from './labels';
import { monitorService } from './monitoring';
import { livenessProbe, readinessProbe, startupProbe } from './probes';
import { goMemoryLimitEnv, ResourceSpec } from './resources';
import { CONFIG_FILE } from './single-binary';
import { PersistentStorage, statefulWorkload } from './stateful-workload';
import { StackWiring } from './wiring';
import { namespaceRole } from './rbac';
import { configChecksum, ContainerPortSpec, ContainerSpec, podDisruptionBudget, podTemplate, serviceAccount, SpreadSettings } from './workload';
import { ROLLOUT_GROUP_LABEL, ROLLOUT_MAX_UNAVAILABLE_ANNOTATION, ROLLOUT_POD_NAME_LABEL, ZonePlacement } from './zones';

/** The node label of the availability zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** The memberlist gossip port every Grafana database uses by default. */
export const MEMBERLIST_PORT = 7946;
/** Pod label that makes a pod a member of its database's gossip ring. */
export const MEMBERLIST_LABEL = 'observability-stack.io/memberlist';

/** One component of a database run in microservices mode (one `-target`). */
export interface MicroserviceSpec {
  /** Value of `-target`. */
  readonly target: string;
  /**
   * Further targets run in the same process (`-target=a,b`): services that nothing routes to on
   * their own. @default - none
   */
  readonly alsoRuns?: readonly string[];
  /**
   * The component label and the suffix of every object's name, where one target runs as several
   * workloads (one per zone). @default - the target
   */
  readonly name?: string;
  /** Flags for this component only (zone...). @default - none */
  readonly extraArgs?: readonly string[];
  /**
   * Components (by name) whose pods must never share a node with this one's: replicas of one
   * partition in two zones must not fall together. @default - none
   */
  readonly apartFrom?: readonly string[];
  /**
   * List the pods on the headless Service before they are ready: for pods whose readiness waits
   * on the very clients or peers that find them there (a Raft group; Tempo's query-frontend, ready
   * only once a querier connected). Extra ports are then listed too, and open between the
   * database's pods. @default false
   */
  readonly discoverableBeforeReady?: boolean;
  /** Stateless components are Deployments; those with a ring identity or local data, StatefulSets. */
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly replicas: number;
  readonly resources: ResourceSpec;
  /** One PVC per pod (StatefulSets only). @default - none */
  readonly storage?: PersistentStorage;
  /** Joins the memberlist gossip ring. @default true */
  readonly ringMember?: boolean;
  /** Longest expected start (WAL replay, ring join). @default 300 */
  readonly maxStartupSeconds?: number;
  /** Time to flush and leave the ring on shutdown. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** Further ports (receivers...), exposed on the component's Service too. @default - none */
  readonly extraPorts?: readonly (ContainerPortSpec & { readonly appProtocol?: string })[];
  /** One zone of a zoned StatefulSet (see zonedPartitionConsumers). @default - not zoned */
  readonly zone?: ZonePlacement;
}

/** Replicas and resources per component, as an environment overrides them. */
export type ComponentSizing<T extends string> = Partial<Record<T, { readonly replicas?: number; readonly resources?: ResourceSpec }>>;

/** A component sized from the environment's overrides, else from the backend's defaults. */
export function sizedComponent<T extends string>(
  target: T,
  overrides: ComponentSizing<T> | undefined,
  defaults: Readonly<Record<T, { readonly replicas: number; readonly resources: ResourceSpec }>>,
  extra: Partial<MicroserviceSpec> = {},
): MicroserviceSpec {
  return {
    target,
    kind: 'Deployment',
    replicas: overrides?.[target]?.replicas ?? defaults[target].replicas,
    resources: overrides?.[target]?.resources ?? defaults[target].resources,
    ...extra,
  };
}

export interface MicroservicesProps {
  /** Name of the database, e.g. `loki`; objects are named `<name>-<target>`. */
  readonly name: string;
  readonly image: ImageName;
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** The one configuration every component reads (each picks its part by `-target`). */
  readonly config: object;
  readonly configDir: string;
  /** Further files beside the configuration, in the same ConfigMap and mount. @default - none */
  readonly extraConfigFiles?: Readonly<Record<string, string>>;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Where the component's PVC (or an emptyDir for stateless ones) is mounted. */
  readonly dataPath: string;
  readonly runAsUser: number;
  /** Environment variables (credentials from Secrets, by reference). @default - none */
  readonly env?: readonly k8s.EnvVar[];
  /**
   * Set GOMEMLIMIT below each container's memory limit (Go binaries that do not size their heap
   * from the cgroup themselves). @default false
   */
  readonly goMemoryLimit?: boolean;
  /** Working directory, for binaries that resolve relative paths against it. @default - the image's */
  readonly workingDir?: string;
  /** Further read-only files every component mounts (CA certificates...). @default - none */
  readonly extraVolumes?: readonly { readonly volume: k8s.Volume; readonly mount: k8s.VolumeMount }[];
  /** PodDisruptionBudgets and spreading across zones and nodes. */
  readonly highAvailability: boolean;
  /**
   * The components discover each other through the Kubernetes API (a gRPC `kubernetes:///`
   * resolver): read access to Services, Endpoints(Slices) and Pods of the namespace, and a token.
   * @default false
   */
  readonly apiDiscovery?: boolean;
  readonly components: readonly MicroserviceSpec[];
}

/** What other constructs need of one component. */
export interface MicroserviceRef {
  readonly service: ServiceRef;
  /** Headless twin: one DNS record per pod (discovery, StatefulSet identity). */
  readonly headless: ServiceRef;
  readonly pods: PodPeer;
}

/** Host of a component's Service, for configs rendered before the Service exists. */
export function componentHost(name: string, target: string, namespace: string, headless = false): string {
  return `${name}-${target}${headless ? '-headless' : ''}.${namespace}.svc`;
}

/** The memberlist join address of a database's gossip ring (DNS lookup of all members). */
export function gossipJoinAddress(name: string, namespace: string): string {
  return `dns+${name}-gossip-ring.${namespace}.svc:${MEMBERLIST_PORT}`;
}

/**
 * A database's `memberlist` settings: join its own gossip ring, labelled with its name, so the
 * rings of several databases on the same port never merge (dskit's cluster_label). Tempo 3.0.3
 * reads `join_members` as one comma-separated string; the others as a list.
 */
export function memberlistConfig(name: string, namespace: string, joinAs: 'list' | 'string' = 'list'): object {
  const join = gossipJoinAddress(name, namespace);
  return { join_members: joinAs === 'list' ? [join] : join, cluster_label: name };
}

/**
 * A Grafana database (Mimir, Loki, Tempo, Pyroscope) in microservices mode: one workload per
 * `-target`, all reading one ConfigMap (hashed onto every pod template), each with a Service, a
 * headless Service and a ServiceMonitor; ring members find each other through one headless gossip
 * Service; the components may talk to each other on HTTP, gRPC and memberlist.
 */
export class Microservices extends Construct {
  /** Every pod of every component. */
  readonly allPods: PodPeer;
  readonly configYaml: string;
  /** The rollout groups (zoned StatefulSets) the rollout-operator must roll. */
  readonly rolloutGroups: readonly string[];
  private readonly refs = new Map<string, MicroserviceRef>();

  constructor(scope: Construct, id: string, props: MicroservicesProps) {
    super(scope, id);
    const { name, namespace } = props;
    const stackWide: ComponentIdentity = { name, instance: name, component: 'config', image: props.image };
    const labels = standardLabels(stackWide);
    this.allPods = { name, namespace, podLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name } };
    this.configYaml = dump(props.config, { lineWidth: -1, noRefs: true, sortKeys: true });
    const checksum = configChecksum(this.configYaml, ...Object.values(props.extraConfigFiles ?? {}));

    serviceAccount(this, 'service-account', { name, namespace, labels });
    if (props.apiDiscovery) {
      namespaceRole(this, 'discovery-role', {
        name: `${name}-discovery`,
        namespace,
        labels,
        serviceAccount: name,
        rules: [
          { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        ],
      });
    }
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${name}-config`, namespace, labels },
      data: { [CONFIG_FILE]: this.configYaml, ...props.extraConfigFiles },
    });

    const gossipPods: PodPeer = { name: `${name}-gossip-ring`, namespace, podLabels: { [MEMBERLIST_LABEL]: name } };
    new ServiceRef(this, 'gossip-ring', {
      name: `${name}-gossip-ring`,
      namespace,
      labels,
      pods: gossipPods,
      headless: true,
      // Members must find each other before they are ready: readiness waits for the ring.
      publishNotReadyAddresses: true,
      ports: [{ name: 'memberlist', port: MEMBERLIST_PORT, targetPort: 'memberlist' }],
    });

    const basePorts: ContainerPortSpec[] = [
      { name: 'http', containerPort: props.httpPort },
      { name: 'grpc', containerPort: props.grpcPort },
      { name: 'memberlist', containerPort: MEMBERLIST_PORT },
    ];
    for (const spec of props.components) {
      const component = spec.name ?? spec.target;
      const identity: ComponentIdentity = { name, instance: name, component, image: props.image };
      const objectName = `${name}-${component}`;
      const componentLabels = standardLabels(identity);
      const ringMember = spec.ringMember ?? true;
      const container: ContainerSpec = {
        name: spec.target,
        image: props.image,
        args: [`-target=${[spec.target, ...(spec.alsoRuns ?? [])].join(',')}`, `-config.file=${props.configDir}/${CONFIG_FILE}`, '-config.expand-env=true', ...(spec.extraArgs ?? [])],
        env: props.goMemoryLimit ? [...(props.env ?? []), goMemoryLimitEnv(spec.resources)] : props.env,
        workingDir: props.workingDir,
        ports: [...basePorts, ...(spec.extraPorts ?? []).map(({ appProtocol: _, ...p }) => p)],
        resources: spec.resources,
        readinessProbe: readinessProbe({ port: 'http', path: '/ready' }),
        livenessProbe: livenessProbe({ port: 'http', path: '/metrics', periodSeconds: 30 }),
        startupProbe: startupProbe({ port: 'http', path: '/metrics', maxStartupSeconds: spec.maxStartupSeconds ?? 300 }),
        volumeMounts: [
          { name: 'config', mountPath: props.configDir, readOnly: true },
          { name: 'data', mountPath: props.dataPath },
          { name: 'tmp', mountPath: '/tmp' },
          ...(props.extraVolumes ?? []).map((v) => v.mount),
        ],
      };
      const volumes: k8s.Volume[] = [
        { name: 'config', configMap: { name: `${name}-config` } },
        { name: 'tmp', emptyDir: {} },
        ...(props.extraVolumes ?? []).map((v) => v.volume),
        ...(spec.storage ? [] : [{ name: 'data', emptyDir: {} }]),
      ];
      const zone = spec.zone;
      if (zone && spec.kind !== 'StatefulSet') throw new Error(`${name} ${component}: only StatefulSets can be zoned`);
      // A pinned zone spreads over the nodes of its availability zone, which may be fewer than its pods.
      const spread: SpreadSettings | undefined = props.highAvailability
        ? zone?.nodeZone
          ? { acrossZones: false, acrossNodes: true, preferNodes: true }
          : { acrossZones: true, acrossNodes: true }
        : undefined;
      const extraPodLabels = {
        ...(ringMember ? { [MEMBERLIST_LABEL]: name } : {}),
        ...(zone ? { [ROLLOUT_POD_NAME_LABEL]: objectName } : {}),
      };
      const headlessName = `${objectName}-headless`;
      const nodeAffinity: k8s.NodeAffinity | undefined = zone?.nodeZone
        ? {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone.nodeZone] }] }],
            },
          }
        : undefined;
      const podAntiAffinity: k8s.PodAntiAffinity | undefined = spec.apartFrom?.length
        ? {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: {
                  matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name },
                  matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: [...spec.apartFrom] }],
                },
              },
            ],
          }
        : undefined;
      const affinity: k8s.Affinity | undefined = nodeAffinity || podAntiAffinity ? { nodeAffinity, podAntiAffinity } : undefined;
      if (spec.kind === 'StatefulSet') {
        statefulWorkload(this, `${component}-stateful-set`, {
          identity,
          name: objectName,
          namespace,
          replicas: spec.replicas,
          serviceName: headlessName,
          serviceAccountName: name,
          apiAccess: props.apiDiscovery,
          runAsUser: props.runAsUser,
          configChecksum: checksum,
          containers: [container],
          volumes,
          storage: spec.storage ? { ...spec.storage, name: 'data' } : undefined,
          spread,
          // Zones share one budget across the rollout group (below).
          disruptionBudget: props.highAvailability && spec.replicas > 1 && !zone,
          extraPodLabels,
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
          affinity,
          updateStrategy: zone ? 'OnDelete' : undefined,
          extraLabels: zone ? { [ROLLOUT_GROUP_LABEL]: `${name}-${zone.rolloutGroup}` } : undefined,
          annotations: zone ? { [ROLLOUT_MAX_UNAVAILABLE_ANNOTATION]: String(zone.maxUnavailable) } : undefined,
        });
      } else {
        const template = podTemplate({
          identity,
          runAsUser: props.runAsUser,
          serviceAccountName: name,
          apiAccess: props.apiDiscovery,
          configChecksum: checksum,
          containers: [container],
          volumes,
          spread,
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
          affinity,
        });
        new k8s.KubeDeployment(this, `${component}-deployment`, {
          metadata: { name: objectName, namespace, labels: componentLabels },
          spec: {
            replicas: spec.replicas,
            revisionHistoryLimit: 5,
            selector: { matchLabels: selectorLabels(identity) },
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1), maxSurge: k8s.IntOrString.fromNumber(1) } },
            template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata!.labels, ...extraPodLabels } } },
          },
        });
        if (props.highAvailability && spec.replicas > 1) {
          podDisruptionBudget(this, `${component}-pdb`, { name: objectName, namespace, identity });
        }
      }

      const pods: PodPeer = { name: objectName, namespace, podLabels: selectorLabels(identity) };
      const servicePorts: ServicePortSpec[] = [
        { name: 'http', port: props.httpPort, targetPort: 'http', appProtocol: 'http' },
        { name: 'grpc', port: props.grpcPort, targetPort: 'grpc', appProtocol: 'grpc' },
        ...(spec.extraPorts ?? []).map((p) => ({
          name: p.name,
          port: p.containerPort,
          targetPort: p.name,
          protocol: p.protocol,
          ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}),
        })),
      ];
      const service = new ServiceRef(this, `${component}-service`, { name: objectName, namespace, labels: componentLabels, pods, ports: servicePorts });
      const headless = new ServiceRef(this, `${component}-headless-service`, {
        name: headlessName,
        namespace,
        labels: componentLabels,
        pods,
        headless: true,
        publishNotReadyAddresses: spec.discoverableBeforeReady,
        ports: servicePorts,
      });
      monitorService(this, `${component}-service-monitor`, { service, labels: componentLabels, wiring: props.wiring, endpoints: [{ port: 'http' }] });
      this.refs.set(component, { service, headless, pods });
      if (spec.discoverableBeforeReady && spec.extraPorts?.length) {
        props.wiring.connect({ from: this.allPods, to: pods, ports: spec.extraPorts.map((p) => p.name), purpose: `${name} ${component} peers` });
      }
    }

    // One budget for all zones of a group: a drain may take one owner of a partition, never both.
    const groups = new Map<string, string[]>();
    for (const spec of props.components) {
      if (spec.zone) groups.set(spec.zone.rolloutGroup, [...(groups.get(spec.zone.rolloutGroup) ?? []), spec.name ?? spec.target]);
    }
    this.rolloutGroups = [...groups.keys()].map((g) => `${name}-${g}`);
    if (props.highAvailability) {
      for (const [group, members] of groups) {
        const identity: ComponentIdentity = { name, instance: name, component: group, image: props.image };
        podDisruptionBudget(this, `${group}-pdb`, {
          name: `${name}-${group}`,
          namespace,
          identity,
          selector: {
            matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name },
            matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: members }],
          },
        });
      }
    }

    // The components call each other (push to ingesters, query schedulers, gossip).
    props.wiring.connect({ from: this.allPods, to: this.allPods, ports: ['http', 'grpc', 'memberlist'], purpose: `${name} internal` });
  }

  /** One component, by its name (the target unless named otherwise); throws naming those there are. */
  component(name: string): MicroserviceRef {
    const ref = this.refs.get(name);
    if (!ref) throw new Error(`${this.node.id}: no component "${name}"; there are: ${[...this.refs.keys()].join(', ')}`);
    return ref;
  }
}
