import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { dump } from 'js-yaml';
import { Endpoint, PodPeer, ServicePortSpec, ServiceRef, workloadScope, WorkloadScope } from './endpoints';
import { ImageName } from './images';
import { ComponentIdentity, selectorLabels, standardLabels } from './labels';
import { monitorService } from './monitoring';
import { ObjectStorage } from './object-storage';
import { livenessProbe, readinessProbe, startupProbe } from './probes';
import { namespaceRole } from './rbac';
import { goMemoryLimitEnv, ResourceSpec } from './resources';
import { PersistentStorage, statefulWorkload } from './stateful-workload';
import { StackWiring } from './wiring';
import { configChecksum, ContainerPortSpec, ContainerSpec, podDisruptionBudget, podTemplate, serviceAccount, SpreadSettings } from './workload';
import { ROLLOUT_GROUP_LABEL, ROLLOUT_MAX_UNAVAILABLE_ANNOTATION, ROLLOUT_POD_NAME_LABEL, ZonePlacement } from './rollout-groups';

/**
 * The four Grafana databases of the stack (Mimir, Loki, Tempo, Pyroscope) are one design: one
 * binary and one configuration file, run either whole (`-target=all`) on a volume, or as its
 * microservices (one workload per `-target`) on object storage, finding each other through a
 * memberlist gossip ring. This module is that design once; each backend in lib/<backend>/ says
 * only what differs: its facts, its settings, its configuration and its components.
 */

/** `monolithic`: one binary on a volume. `scalable`: the upstream microservices on object storage. */
export type DeploymentMode = 'monolithic' | 'scalable';
export const DEPLOYMENT_MODES: readonly DeploymentMode[] = ['monolithic', 'scalable'];

/** The file name of the rendered configuration inside its ConfigMap and mount. */
export const CONFIG_FILE = 'config.yaml';
/** The memberlist gossip port every Grafana database uses by default. */
export const MEMBERLIST_PORT = 7946;
/** Pod label that makes a pod a member of its database's gossip ring. */
export const MEMBERLIST_LABEL = 'observability-stack.io/memberlist';
/** The node label of the availability zone. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** What is the same for a database in every environment: its image, ports and paths. */
export interface DatabaseSpec {
  /** Its name: `app.kubernetes.io/name`, and the prefix of every object's name. */
  readonly name: string;
  readonly image: ImageName;
  /** The HTTP port (API, `/ready`, `/metrics`). */
  readonly httpPort: number;
  readonly grpcPort: number;
  /** The image's user (or any non-root one where the image sets none). */
  readonly runAsUser: number;
  /** Where its volume (or an emptyDir, for stateless components) is mounted. */
  readonly dataPath: string;
  /** Where its ConfigMap is mounted. */
  readonly configDir: string;
  /** For binaries that resolve relative paths against it. @default - the image's */
  readonly workingDir?: string;
  /** Set GOMEMLIMIT below each container's memory limit (binaries that do not read their cgroup). @default false */
  readonly goMemoryLimit?: boolean;
}

/** What every backend's environment settings share, declared once. */
export interface StorageBackendSettings<T extends string> {
  /** @default 'monolithic' */
  readonly mode?: DeploymentMode;
  /** How long data is kept; the backend's compactor deletes older data. Whole days or hours. @default - the backend's (see its DEFAULTS) */
  readonly retention?: string;
  /** Size of the single binary's volume, or of each stateful component's. @default - the backend's (see its DEFAULTS) */
  readonly storageSize?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** Monolithic mode: the binary's requests and limits. @default - the backend's (see its DEFAULTS) */
  readonly resources?: ResourceSpec;
  /** Scalable mode: replicas and resources per component. @default - the backend's (see its DEFAULTS) */
  readonly components?: ComponentSizing<T>;
}

/** What the charts hand every backend: where it runs and what it is wired to. */
export interface StorageBackendContext {
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** Where data lives in scalable mode. @default - none: monolithic only */
  readonly objectStorage?: ObjectStorage;
  /** Scalable mode: PodDisruptionBudgets, spreading across zones and nodes, zoned components. @default false */
  readonly highAvailability?: boolean;
  /** Scalable and highly available: the availability zones zoned components are pinned to, in order. @default - not pinned */
  readonly availabilityZones?: readonly string[];
}

/** Replicas and resources per component, as an environment overrides them. */
export type ComponentSizing<T extends string> = Partial<Record<T, { readonly replicas?: number; readonly resources?: ResourceSpec }>>;

/** One component of a database run in microservices mode (one `-target`). */
export interface MicroserviceSpec {
  /** Value of `-target`. */
  readonly target: string;
  /** Further targets run in the same process (`-target=a,b`): services that nothing routes to on their own. @default - none */
  readonly alsoRuns?: readonly string[];
  /** The component label and the suffix of every object's name, where one target runs as several workloads (one per zone). @default - the target */
  readonly name?: string;
  /** Flags for this component only (zone...). @default - none */
  readonly extraArgs?: readonly string[];
  /** Components (by name) whose pods must never share a node with this one's. @default - none */
  readonly apartFrom?: readonly string[];
  /**
   * List the pods on the headless Service before they are ready: for pods whose readiness waits
   * on the very clients or peers that find them there (a Raft group; Tempo's query-frontend, ready
   * only once a querier connected). Extra ports are then open between the database's pods. @default false
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
  /** Further ports (receivers...), exposed on the component's Services too. @default - none */
  readonly extraPorts?: readonly ExtraPort[];
  /** One zone of a zoned StatefulSet (see zonedStatefulSets). @default - not zoned */
  readonly zone?: ZonePlacement;
}

export type ExtraPort = ContainerPortSpec & { readonly appProtocol?: string };

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

/** The name of a component's Service (or its headless twin): the one place it is spelled. */
export function componentServiceName(database: string, component: string, headless = false): string {
  return `${database}-${component}${headless ? '-headless' : ''}`;
}

/**
 * The addresses of a database's components, typed by its component names, for the configuration
 * that is rendered before the Services exist: the names come from componentServiceName, which
 * the Services are created with.
 */
export class DatabaseAddresses<T extends string> {
  constructor(
    private readonly spec: DatabaseSpec,
    private readonly namespace: string,
  ) {}

  host(component: T, headless = false): string {
    return `${componentServiceName(this.spec.name, component, headless)}.${this.namespace}.svc`;
  }

  grpc(component: T, headless = false): string {
    return `${this.host(component, headless)}:${this.spec.grpcPort}`;
  }

  http(component: T): string {
    return `http://${this.host(component)}:${this.spec.httpPort}`;
  }

  /** The memberlist join address of the gossip ring (DNS lookup of all members). */
  get gossip(): string {
    return `dns+${this.spec.name}-gossip-ring.${this.namespace}.svc:${MEMBERLIST_PORT}`;
  }

  /**
   * The `memberlist` settings: join its own ring, labelled with its name, so the rings of several
   * databases on the same port never merge (dskit's cluster_label). Tempo 3.0.3 reads
   * `join_members` as one comma-separated string; the others as a list.
   */
  memberlist(joinAs: 'list' | 'string' = 'list'): object {
    return { join_members: joinAs === 'list' ? [this.gossip] : this.gossip, cluster_label: this.spec.name };
  }
}

/** What both modes take besides their components. */
interface DatabaseCommon {
  /** The one configuration every process reads (each picks its part by `-target`). */
  readonly config: object;
  /** Further files beside the configuration, in the same ConfigMap and mount. @default - none */
  readonly configFiles?: Readonly<Record<string, string>>;
  /** Environment variables (credentials from Secrets, by reference). @default - none */
  readonly env?: readonly k8s.EnvVar[];
  /** Further read-only files every process mounts (CA certificates...). @default - none */
  readonly extraVolumes?: readonly { readonly volume: k8s.Volume; readonly mount: k8s.VolumeMount }[];
}

export interface SingleBinaryMode extends DatabaseCommon {
  /** Value of `-target`, e.g. `all`. */
  readonly target: string;
  readonly resources: ResourceSpec;
  readonly storage: PersistentStorage;
  /** Further ports, exposed on the Service under the same names (receivers...). @default - none */
  readonly extraPorts?: readonly ExtraPort[];
}

export interface MicroservicesMode extends DatabaseCommon {
  readonly components: readonly MicroserviceSpec[];
  /**
   * The components discover each other through the Kubernetes API (a gRPC `kubernetes:///`
   * resolver): read access to Services, Endpoints(Slices) and Pods of the namespace, and a token.
   * @default false
   */
  readonly apiDiscovery?: boolean;
}

export interface DatabaseProps {
  readonly spec: DatabaseSpec;
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** Scalable mode: PodDisruptionBudgets and spreading across zones and nodes. @default false */
  readonly highAvailability?: boolean;
  /** Exactly one: the whole binary on a volume, or its microservices. @default - not in this mode */
  readonly singleBinary?: SingleBinaryMode;
  /** @default - not in this mode */
  readonly microservices?: MicroservicesMode;
}

/** What other constructs need of one component. */
export interface ComponentRef {
  readonly service: ServiceRef;
  /** Headless twin: one DNS record per pod, every port (discovery, StatefulSet identity, client-side balancing). */
  readonly headless: ServiceRef;
  readonly pods: PodPeer;
}

/** The Service ports of a process: HTTP, gRPC, and the extra ones under their own names. */
function servicePorts(spec: DatabaseSpec, extraPorts: readonly ExtraPort[] = []): ServicePortSpec[] {
  return [
    { name: 'http', port: spec.httpPort, targetPort: 'http', appProtocol: 'http' },
    { name: 'grpc', port: spec.grpcPort, targetPort: 'grpc', appProtocol: 'grpc' },
    ...extraPorts.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })),
  ];
}

/** The database's container: the same flags, probes and mounts whatever it runs. */
function databaseContainer(
  spec: DatabaseSpec,
  common: DatabaseCommon,
  c: { name: string; targets: string; extraArgs?: readonly string[]; ports: readonly ContainerPortSpec[]; resources: ResourceSpec; maxStartupSeconds?: number },
): ContainerSpec {
  const env = spec.goMemoryLimit ? [...(common.env ?? []), goMemoryLimitEnv(c.resources)] : common.env;
  return {
    name: c.name,
    image: spec.image,
    args: [
      `-target=${c.targets}`,
      `-config.file=${spec.configDir}/${CONFIG_FILE}`,
      // ${VAR} in the config is filled from the environment: credentials stay in Secrets.
      '-config.expand-env=true',
      ...(c.extraArgs ?? []),
    ],
    env: env && env.length ? env : undefined,
    workingDir: spec.workingDir,
    ports: c.ports,
    resources: c.resources,
    // Ready once the ring has settled and the WAL is replayed.
    readinessProbe: readinessProbe({ port: 'http', path: '/ready' }),
    // Alive while the HTTP server answers; a slow WAL replay is not a reason to restart.
    livenessProbe: livenessProbe({ port: 'http', path: '/metrics', periodSeconds: 30 }),
    startupProbe: startupProbe({ port: 'http', path: '/metrics', maxStartupSeconds: c.maxStartupSeconds ?? 300 }),
    volumeMounts: [
      { name: 'config', mountPath: spec.configDir, readOnly: true },
      { name: 'data', mountPath: spec.dataPath },
      { name: 'tmp', mountPath: '/tmp' },
      ...(common.extraVolumes ?? []).map((v) => v.mount),
    ],
  };
}

/**
 * One of the Grafana databases, in either mode: its ServiceAccount, its configuration in a
 * ConfigMap (hashed onto every pod template, so a change rolls the pods), and its workloads,
 * each with a Service, a headless Service and a ServiceMonitor.
 */
export class Database extends Construct {
  /** Every pod of the database. */
  readonly pods: PodPeer;
  /** Every pod of the database, by name: each workload's name starts with the database's. */
  readonly scope: WorkloadScope;
  /** The configuration exactly as rendered into the ConfigMap. */
  readonly configYaml: string;
  /** The rollout groups (zoned StatefulSets) the rollout-operator must roll. */
  readonly rolloutGroups: readonly string[];
  private readonly refs = new Map<string, ComponentRef>();
  private readonly spec: DatabaseSpec;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { spec, namespace } = props;
    this.spec = spec;
    this.scope = workloadScope(spec.name, namespace);
    const mode = props.singleBinary ?? props.microservices;
    if (!mode || (props.singleBinary && props.microservices)) throw new Error(`${spec.name}: give exactly one of 'singleBinary' and 'microservices'`);
    this.configYaml = dump(mode.config, { lineWidth: -1, noRefs: true, sortKeys: true });
    const checksum = configChecksum(this.configYaml, ...Object.values(mode.configFiles ?? {}));
    if (props.singleBinary) {
      this.pods = this.renderSingleBinary(props, props.singleBinary, checksum);
      this.rolloutGroups = [];
    } else {
      this.pods = { name: spec.name, namespace, podLabels: { 'app.kubernetes.io/name': spec.name, 'app.kubernetes.io/instance': spec.name } };
      this.rolloutGroups = this.renderMicroservices(props, props.microservices!, checksum);
    }
  }

  /** One component, by its name (the single binary answers to any): throws naming those there are. */
  component(name: string): ComponentRef {
    const ref = this.refs.get(name) ?? this.refs.get('');
    if (!ref) throw new Error(`${this.spec.name}: no component "${name}"; there are: ${[...this.refs.keys()].join(', ')}`);
    return ref;
  }

  /** A port of a component's Service (`balanced`: of its headless twin, one address per pod). */
  endpoint(component: string, port = 'http', balanced = false): Endpoint {
    const ref = this.component(component);
    return (balanced ? ref.headless : ref.service).endpoint(port);
  }

  private configMap(namespace: string, labels: Record<string, string>, common: DatabaseCommon): void {
    new k8s.KubeConfigMap(this, 'config', {
      metadata: { name: `${this.spec.name}-config`, namespace, labels },
      data: { [CONFIG_FILE]: this.configYaml, ...common.configFiles },
    });
  }

  private renderSingleBinary(props: DatabaseProps, mode: SingleBinaryMode, checksum: string): PodPeer {
    const { spec, namespace } = props;
    const name = spec.name;
    const identity: ComponentIdentity = { name, instance: name, component: 'single-binary', image: spec.image };
    const labels = standardLabels(identity);
    const pods: PodPeer = { name: identity.instance, namespace, podLabels: selectorLabels(identity) };

    serviceAccount(this, 'service-account', { name, namespace, labels });
    this.configMap(namespace, labels, mode);
    statefulWorkload(this, 'stateful-set', {
      identity,
      name,
      namespace,
      replicas: 1,
      serviceName: `${name}-headless`,
      serviceAccountName: name,
      runAsUser: spec.runAsUser,
      configChecksum: checksum,
      storage: mode.storage,
      volumes: [
        { name: 'config', configMap: { name: `${name}-config` } },
        { name: 'tmp', emptyDir: {} },
      ],
      containers: [
        databaseContainer(spec, mode, {
          name,
          targets: mode.target,
          ports: [{ name: 'http', containerPort: spec.httpPort }, { name: 'grpc', containerPort: spec.grpcPort }, ...(mode.extraPorts ?? []).map(({ appProtocol: _, ...p }) => p)],
          resources: mode.resources,
        }),
      ],
    });
    const ports = servicePorts(spec, mode.extraPorts);
    const service = new ServiceRef(this, 'service', { name, namespace, labels, pods, ports });
    const headless = new ServiceRef(this, 'headless-service', { name: `${name}-headless`, namespace, labels, pods, headless: true, ports });
    monitorService(this, 'service-monitor', { service, labels, wiring: props.wiring, endpoints: [{ port: 'http' }] });
    this.refs.set('', { service, headless, pods });
    return pods;
  }

  private renderMicroservices(props: DatabaseProps, mode: MicroservicesMode, checksum: string): string[] {
    const { spec, namespace } = props;
    const name = spec.name;
    const labels = standardLabels({ name, instance: name, component: 'config', image: spec.image });

    serviceAccount(this, 'service-account', { name, namespace, labels });
    if (mode.apiDiscovery) {
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
    this.configMap(namespace, labels, mode);
    new ServiceRef(this, 'gossip-ring', {
      name: `${name}-gossip-ring`,
      namespace,
      labels,
      pods: { name: `${name}-gossip-ring`, namespace, podLabels: { [MEMBERLIST_LABEL]: name } },
      headless: true,
      // Members must find each other before they are ready: readiness waits for the ring.
      publishNotReadyAddresses: true,
      ports: [{ name: 'memberlist', port: MEMBERLIST_PORT, targetPort: 'memberlist' }],
    });

    for (const component of mode.components) this.renderComponent(props, mode, component, checksum);

    // One budget for all zones of a group: a drain may take one owner of a partition, never both.
    const groups = new Map<string, string[]>();
    for (const c of mode.components) if (c.zone) groups.set(c.zone.rolloutGroup, [...(groups.get(c.zone.rolloutGroup) ?? []), c.name ?? c.target]);
    if (props.highAvailability) {
      for (const [group, members] of groups) {
        podDisruptionBudget(this, `${group}-pdb`, {
          name: `${name}-${group}`,
          namespace,
          identity: { name, instance: name, component: group, image: spec.image },
          selector: {
            matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name },
            matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: members }],
          },
        });
      }
    }
    // The components call each other (push to ingesters, query schedulers, gossip).
    props.wiring.connect({ from: this.pods, to: this.pods, ports: ['http', 'grpc', 'memberlist'], purpose: `${name} internal` });
    return [...groups.keys()].map((g) => `${name}-${g}`);
  }

  private renderComponent(props: DatabaseProps, mode: MicroservicesMode, c: MicroserviceSpec, checksum: string): void {
    const { spec, namespace } = props;
    const name = spec.name;
    const component = c.name ?? c.target;
    const identity: ComponentIdentity = { name, instance: name, component, image: spec.image };
    const objectName = componentServiceName(name, component);
    const headlessName = componentServiceName(name, component, true);
    const componentLabels = standardLabels(identity);
    const zone = c.zone;
    if (zone && c.kind !== 'StatefulSet') throw new Error(`${name} ${component}: only StatefulSets can be zoned`);
    const container = databaseContainer(spec, mode, {
      name: c.target,
      targets: [c.target, ...(c.alsoRuns ?? [])].join(','),
      extraArgs: c.extraArgs,
      ports: [
        { name: 'http', containerPort: spec.httpPort },
        { name: 'grpc', containerPort: spec.grpcPort },
        { name: 'memberlist', containerPort: MEMBERLIST_PORT },
        ...(c.extraPorts ?? []).map(({ appProtocol: _, ...p }) => p),
      ],
      resources: c.resources,
      maxStartupSeconds: c.maxStartupSeconds,
    });
    const volumes: k8s.Volume[] = [
      { name: 'config', configMap: { name: `${name}-config` } },
      { name: 'tmp', emptyDir: {} },
      ...(mode.extraVolumes ?? []).map((v) => v.volume),
      ...(c.storage ? [] : [{ name: 'data', emptyDir: {} }]),
    ];
    // A pinned zone spreads over the nodes of its availability zone, which may be fewer than its pods.
    const spread: SpreadSettings | undefined = props.highAvailability
      ? zone?.nodeZone
        ? { acrossZones: false, acrossNodes: true, preferNodes: true }
        : { acrossZones: true, acrossNodes: true }
      : undefined;
    const extraPodLabels = {
      ...((c.ringMember ?? true) ? { [MEMBERLIST_LABEL]: name } : {}),
      ...(zone ? { [ROLLOUT_POD_NAME_LABEL]: objectName } : {}),
    };
    const nodeAffinity: k8s.NodeAffinity | undefined = zone?.nodeZone
      ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone.nodeZone] }] }] } }
      : undefined;
    const podAntiAffinity: k8s.PodAntiAffinity | undefined = c.apartFrom?.length
      ? {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: {
                matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name },
                matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'In', values: [...c.apartFrom] }],
              },
            },
          ],
        }
      : undefined;
    const pod = {
      identity,
      runAsUser: spec.runAsUser,
      serviceAccountName: name,
      apiAccess: mode.apiDiscovery,
      configChecksum: checksum,
      containers: [container],
      volumes,
      spread,
      terminationGracePeriodSeconds: c.terminationGracePeriodSeconds,
      affinity: nodeAffinity || podAntiAffinity ? { nodeAffinity, podAntiAffinity } : undefined,
    };
    if (c.kind === 'StatefulSet') {
      statefulWorkload(this, `${component}-stateful-set`, {
        ...pod,
        name: objectName,
        namespace,
        replicas: c.replicas,
        serviceName: headlessName,
        storage: c.storage ? { ...c.storage, name: 'data' } : undefined,
        // Zones share one budget across the rollout group.
        disruptionBudget: props.highAvailability && c.replicas > 1 && !zone,
        extraPodLabels,
        updateStrategy: zone ? 'OnDelete' : undefined,
        extraLabels: zone ? { [ROLLOUT_GROUP_LABEL]: `${name}-${zone.rolloutGroup}` } : undefined,
        annotations: zone ? { [ROLLOUT_MAX_UNAVAILABLE_ANNOTATION]: String(zone.maxUnavailable) } : undefined,
      });
    } else {
      const template = podTemplate(pod);
      new k8s.KubeDeployment(this, `${component}-deployment`, {
        metadata: { name: objectName, namespace, labels: componentLabels },
        spec: {
          replicas: c.replicas,
          revisionHistoryLimit: 5,
          selector: { matchLabels: selectorLabels(identity) },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1), maxSurge: k8s.IntOrString.fromNumber(1) } },
          template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata!.labels, ...extraPodLabels } } },
        },
      });
      if (props.highAvailability && c.replicas > 1) podDisruptionBudget(this, `${component}-pdb`, { name: objectName, namespace, identity });
    }

    const pods: PodPeer = { name: objectName, namespace, podLabels: selectorLabels(identity) };
    const ports = servicePorts(spec, c.extraPorts);
    const service = new ServiceRef(this, `${component}-service`, { name: objectName, namespace, labels: componentLabels, pods, ports });
    const headless = new ServiceRef(this, `${component}-headless-service`, {
      name: headlessName,
      namespace,
      labels: componentLabels,
      pods,
      headless: true,
      publishNotReadyAddresses: c.discoverableBeforeReady,
      ports,
    });
    monitorService(this, `${component}-service-monitor`, { service, labels: componentLabels, wiring: props.wiring, endpoints: [{ port: 'http' }] });
    this.refs.set(component, { service, headless, pods });
    if (c.discoverableBeforeReady && c.extraPorts?.length) {
      props.wiring.connect({ from: this.pods, to: pods, ports: c.extraPorts.map((p) => p.name), purpose: `${name} ${component} peers` });
    }
  }
}
