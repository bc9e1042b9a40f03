import { Construct } from 'constructs';
import { ConfigFiles, ServiceWorkload } from '../common/service-workload';
import { k8s } from 'cdk8s-plus-28';
import { Endpoint, HttpApi, PodPeer, RemoteWriteTarget, ServicePortSpec, WorkloadScope } from '../common/endpoints';
import { CLUSTER_LABEL, ComponentIdentity } from '../common/labels';
import { livenessProbe, readinessProbe } from '../common/probes';
import { ResourceSpec } from '../common/resources';
import { HostAccess } from '../common/security';
import { StackWiring } from '../common/wiring';
import { configChecksum, ContainerPortSpec, ContainerSpec } from '../common/workload';
import { NODE_AGENT_PRIORITY_CLASS } from '../namespaces/namespaces';
import { ExternalLabels, kubernetesPods, lokiWrite, POD_IDENTITY_RULES, prometheusRemoteWrite, pyroscopeWrite, relabel, RelabelRule } from './pipelines';
import { AlloyBlock, ref, renderAlloy } from './syntax';

/** Alloy's HTTP server: UI, `/metrics`, `/-/ready`, and the clustering gossip. */
export const ALLOY_HTTP_PORT = 12345;
const CONFIG_DIR = '/etc/alloy';
const CONFIG_FILE = 'config.alloy';
const STORAGE = '/var/lib/alloy';
/** The image's own `alloy` user (Dockerfile: UID 473), for the collector. */
const ALLOY_USER = 473;

/** The backends the collectors write to, as their constructs expose them. */
export interface AlloyDestinations {
  /** Loki's push API. */
  readonly logs: HttpApi;
  /** Mimir's remote-write target (carries the tenant). */
  readonly metrics: RemoteWriteTarget;
  /** Tempo's OTLP gRPC intake. */
  readonly traces: Endpoint;
  /** Pyroscope's push API. */
  readonly profiles: HttpApi;
  /** The tenant every signal is written as. */
  readonly tenant: string;
  /** Written as the `cluster` label on every series, log stream and profile. */
  readonly clusterName: string;
}

function clusterLabels(d: AlloyDestinations): ExternalLabels {
  return { [CLUSTER_LABEL]: d.clusterName };
}

export interface AlloyWorkloadProps {
  readonly identity: ComponentIdentity;
  readonly namespace: string;
  readonly config: readonly AlloyBlock[];
  readonly resources: ResourceSpec;
  /** @default - none */
  readonly extraArgs?: readonly string[];
  /** @default - none */
  readonly extraPorts?: readonly ContainerPortSpec[];
  /** @default - none */
  readonly env?: readonly k8s.EnvVar[];
  /** @default - none */
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  /** @default - none */
  readonly volumes?: readonly k8s.Volume[];
}

/** The configuration file and container shared by both Alloy workloads. */
function alloyContainer(props: AlloyWorkloadProps): { container: ContainerSpec; configMap: ConfigFiles; checksum: string; volumes: k8s.Volume[] } {
  const configText = renderAlloy(props.config);
  const configMap = { name: `${props.identity.instance}-config`, data: { [CONFIG_FILE]: configText } };
  return {
    configMap,
    checksum: configChecksum(configText),
    volumes: [
      { name: 'config', configMap: { name: configMap.name } },
      { name: 'tmp', emptyDir: {} },
    ],
    container: {
      name: 'alloy',
      image: 'alloy',
      args: [
        'run',
        `${CONFIG_DIR}/${CONFIG_FILE}`,
        `--storage.path=${STORAGE}`,
        // Alloy listens on localhost unless told otherwise.
        `--server.http.listen-addr=0.0.0.0:${ALLOY_HTTP_PORT}`,
        '--stability.level=generally-available',
        '--disable-reporting',
        ...(props.extraArgs ?? []),
      ],
      env: props.env,
      ports: [{ name: 'http-metrics', containerPort: ALLOY_HTTP_PORT }, ...(props.extraPorts ?? [])],
      resources: props.resources,
      readinessProbe: readinessProbe({ port: 'http-metrics', path: '/-/ready' }),
      livenessProbe: livenessProbe({ port: 'http-metrics', path: '/-/ready' }),
      volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }, { name: 'tmp', mountPath: '/tmp' }, ...(props.volumeMounts ?? [])],
    },
  };
}

/** Alloy's own HTTP port: metrics, UI, readiness and clustering. */
const HTTP_METRICS_PORT: ServicePortSpec = { name: 'http-metrics', port: ALLOY_HTTP_PORT, targetPort: 'http-metrics', appProtocol: 'http' };

// ---------------------------------------------------------------------------------------------
// Node agent

export interface AlloyNodeAgentProps {
  /** A namespace whose Pod Security level admits host access ("privileged"). */
  readonly namespace: string;
  readonly wiring: StackWiring;
  readonly destinations: AlloyDestinations;
  /** @default ALLOY_DEFAULTS.nodeAgentResources */
  readonly resources?: ResourceSpec;
}

/** What an environment sets for the collectors (`alloy:` in its config). */
export interface AlloySettings {
  /** Requests and limits of the node agent on each node. @default ALLOY_DEFAULTS.nodeAgentResources */
  readonly nodeAgentResources?: ResourceSpec;
  /** Replicas of the clustered collector; at least 2 with highAvailability. @default 1 */
  readonly collectorReplicas?: number;
  /** @default ALLOY_DEFAULTS.collectorResources */
  readonly collectorResources?: ResourceSpec;
  /** Volume of each collector replica: its WAL, queues and event positions. @default '10Gi' */
  readonly collectorStorageSize?: string;
}

export const ALLOY_DEFAULTS = {
  nodeAgentResources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  collectorResources: { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' },
  collectorReplicas: 1,
  collectorStorageSize: '10Gi',
} as const;

/** The kernel's tracing filesystem, which pyroscope.ebpf needs (Linux 4.1 and later mount it here). */
export const TRACEFS = '/sys/kernel/tracing';

/** On the node: where Alloy keeps its read positions and queues, across restarts and upgrades. */
export const NODE_AGENT_STATE_DIR = '/var/lib/alloy-node-agent';

/** Why the node agent needs each piece of host access it gets. */
export const NODE_AGENT_HOST_ACCESS: HostAccess = {
  hostPID: 'eBPF profiling must see every process of the node, and attribute it to its container',
  hostPaths: {
    '/var/log': "every pod's log files (/var/log/pods), mounted read-only",
    [NODE_AGENT_STATE_DIR]: 'read positions and queues that survive pod restarts, upgrades and config changes, so logs are neither lost nor sent twice',
    [TRACEFS]: 'pyroscope.ebpf reads the kernel tracepoints it attaches to from tracefs, mounted read-only (it cannot mount tracefs itself without CAP_SYS_ADMIN)',
  },
  runAsRoot: 'eBPF profiling runs as root, and the pod log files belong to root',
  capabilities: {
    BPF: 'load the eBPF profiling programs',
    PERFMON: 'open perf events to sample CPU stacks',
    SYS_PTRACE: "read other processes' memory maps to symbolize stacks",
    SYS_RESOURCE: 'raise the locked-memory limit for eBPF maps',
    CHECKPOINT_RESTORE: 'resolve process executables through /proc',
    DAC_READ_SEARCH: "read other processes' binaries and the log files",
    SYSLOG: 'read kernel symbol addresses for kernel frames',
  },
  unconfinedSeccomp: "the runtime's default seccomp profile refuses bpf() and perf_event_open() without CAP_SYS_ADMIN",
};

/**
 * How old a log line may be when the node agent first reads it. Only a node agent starting without
 * read positions (new node, first install) meets older lines; an outage longer than this loses
 * the older part of its backlog, which Loki would reject as too old past its own window anyway.
 */
export const NODE_AGENT_LOG_MAX_AGE = '1h';

/** Pod annotations with which applications opt in to the node agent's scrapes. */
export const SCRAPE_ANNOTATIONS = {
  /** `"true"`: Prometheus metrics of a pod that no ServiceMonitor or PodMonitor covers. */
  metrics: 'prometheus.io/scrape',
  metricsPort: 'prometheus.io/port',
  metricsPath: 'prometheus.io/path',
  /** `"true"`: Go pprof endpoints (memory, goroutines, mutex, block) on the port named below. */
  profiles: 'profiles.grafana.com/scrape',
  profilesPort: 'profiles.grafana.com/port_name',
  /** The service name the pod's profiles are stored under. */
  profilesServiceName: 'profiles.grafana.com/service_name',
} as const;

/**
 * The `service_name` of a profile, which Pyroscope requires and Grafana matches spans against:
 * the pod's own choice if it annotates one (Pyroscope's annotation, else the OpenTelemetry
 * operator's service.name annotation, which also names the pod's spans), else
 * `<namespace>/<container>`.
 */
const PROFILE_SERVICE_NAME_RULES: readonly RelabelRule[] = [
  { source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_container_name'], separator: '/', target_label: 'service_name' },
  ...['resource.opentelemetry.io/service.name', SCRAPE_ANNOTATIONS.profilesServiceName].map((annotation) => ({
    source_labels: [annotationLabel(annotation)],
    regex: '(.+)',
    target_label: 'service_name',
  })),
];

/** `__meta_kubernetes_pod_annotation_<sanitized>` for an annotation. */
function annotationLabel(annotation: string): string {
  return `__meta_kubernetes_pod_annotation_${annotation.replace(/[^A-Za-z0-9_]/g, '_')}`;
}
function annotationPresentLabel(annotation: string): string {
  return `__meta_kubernetes_pod_annotationpresent_${annotation.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** The node agent's pipelines: pod logs, annotated metrics, eBPF and pprof profiles. */
export function nodeAgentConfig(d: AlloyDestinations): AlloyBlock[] {
  const pods = kubernetesPods('pods', true);
  const logsOut = lokiWrite('default', d.logs, d.tenant, clusterLabels(d));
  const metricsOut = prometheusRemoteWrite('default', d.metrics, clusterLabels(d));
  const profilesOut = pyroscopeWrite('default', d.profiles, d.tenant, clusterLabels(d));
  const running = { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed', action: 'drop' } as const;

  // Logs: every container's files under /var/log/pods, with its identity as labels.
  // No phase filter: a finished Job's last lines are still on disk and must be read to the end.
  const logTargets = relabel('pod_logs', ref(pods, 'targets'), [
    ...POD_IDENTITY_RULES,
    {
      source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'],
      separator: '/',
      target_label: '__path__',
      replacement: '/var/log/pods/*$1/*.log',
    },
    // Static pods log under their config hash (the mirror pod's annotation), not their UID.
    {
      source_labels: ['__meta_kubernetes_pod_annotation_kubernetes_io_config_mirror', '__meta_kubernetes_pod_container_name'],
      separator: '/',
      regex: '(.+/.+)',
      target_label: '__path__',
      replacement: '/var/log/pods/*$1/*.log',
    },
  ]);
  const files: AlloyBlock = { name: 'local.file_match', label: 'pod_logs', attributes: { path_targets: ref(logTargets, 'output') } };
  const parse: AlloyBlock = {
    name: 'loki.process',
    label: 'pod_logs',
    attributes: { forward_to: [ref(logsOut, 'receiver')] },
    blocks: [
      // The container runtime's line format; partial lines are joined, none dropped.
      { name: 'stage.cri' },
      // A node agent without read positions (its first start on a node) reads every file from the
      // start; lines older than this are history, not news, and would burst past Loki's limits.
      { name: 'stage.drop', attributes: { older_than: NODE_AGENT_LOG_MAX_AGE, drop_counter_reason: 'older_than_first_read_window' } },
      // The file is an implementation detail that changes with each container restart: a label
      // would start a new stream every time.
      { name: 'stage.label_drop', attributes: { values: ['filename'] } },
    ],
  };
  const tail: AlloyBlock = {
    name: 'loki.source.file',
    label: 'pod_logs',
    attributes: { targets: ref(files, 'targets'), forward_to: [ref(parse, 'receiver')] },
  };

  // Metrics: only pods that ask for it by annotation; platform services are Prometheus' (ServiceMonitors).
  const metricTargets = relabel('annotated_metrics', ref(pods, 'targets'), [
    running,
    { source_labels: [annotationLabel(SCRAPE_ANNOTATIONS.metrics)], regex: 'true', action: 'keep' },
    { source_labels: ['__meta_kubernetes_pod_container_init'], regex: 'true', action: 'drop' },
    // Discovery yields a target per container port: keep the one the annotation names, so a pod
    // with several containers is scraped once.
    { source_labels: ['__meta_kubernetes_pod_container_port_number'], target_label: annotationLabel(SCRAPE_ANNOTATIONS.metricsPort), action: 'keepequal' },
    {
      source_labels: ['__address__', annotationLabel(SCRAPE_ANNOTATIONS.metricsPort)],
      separator: ';',
      regex: '([^:]+)(?::\\d+)?;(\\d+)',
      replacement: '$1:$2',
      target_label: '__address__',
    },
    { source_labels: [annotationLabel(SCRAPE_ANNOTATIONS.metricsPath)], regex: '(.+)', target_label: '__metrics_path__' },
    ...POD_IDENTITY_RULES,
  ]);
  const scrapeMetrics: AlloyBlock = {
    name: 'prometheus.scrape',
    label: 'annotated',
    attributes: { targets: ref(metricTargets, 'output'), forward_to: [ref(metricsOut, 'receiver')], job_name: 'annotated-pods' },
  };

  // Profiles: eBPF CPU profiles of every container; pprof of pods that ask for it.
  const ebpfTargets = relabel('ebpf', ref(pods, 'targets'), [
    running,
    ...POD_IDENTITY_RULES,
    ...PROFILE_SERVICE_NAME_RULES,
  ]);
  const ebpf: AlloyBlock = {
    name: 'pyroscope.ebpf',
    label: 'default',
    attributes: { targets: ref(ebpfTargets, 'output'), forward_to: [ref(profilesOut, 'receiver')] },
  };
  const pprofTargets = relabel('annotated_pprof', ref(pods, 'targets'), [
    running,
    { source_labels: [annotationLabel(SCRAPE_ANNOTATIONS.profiles)], regex: 'true', action: 'keep' },
    // The container port whose name the pod announces.
    { source_labels: [annotationPresentLabel(SCRAPE_ANNOTATIONS.profilesPort)], regex: 'true', action: 'keep' },
    { source_labels: ['__meta_kubernetes_pod_container_port_name'], target_label: annotationLabel(SCRAPE_ANNOTATIONS.profilesPort), action: 'keepequal' },
    ...POD_IDENTITY_RULES,
    ...PROFILE_SERVICE_NAME_RULES,
  ]);
  const pprof: AlloyBlock = {
    name: 'pyroscope.scrape',
    label: 'annotated',
    attributes: { targets: ref(pprofTargets, 'output'), forward_to: [ref(profilesOut, 'receiver')] },
    blocks: [
      {
        name: 'profiling_config',
        blocks: [
          ...['profile.memory', 'profile.goroutine', 'profile.mutex', 'profile.block'].map((name) => ({ name, attributes: { enabled: true } })),
          // eBPF already profiles every process's CPU; pprof's CPU profile would count it twice.
          { name: 'profile.process_cpu', attributes: { enabled: false } },
        ],
      },
    ],
  };

  return [pods, logTargets, files, tail, parse, logsOut, metricTargets, scrapeMetrics, metricsOut, ebpfTargets, ebpf, pprofTargets, pprof, profilesOut];
}

/**
 * Grafana Alloy on every node (DaemonSet, tolerating every taint): tails every pod's logs into
 * Loki with read positions that survive restarts, profiles every process with eBPF and scrapes
 * the pprof endpoints and Prometheus metrics of pods that ask for it by annotation.
 */
export class AlloyNodeAgent extends Construct {
  readonly pods: PodPeer;
  readonly scope: WorkloadScope;
  readonly configText: string;

  constructor(scope: Construct, id: string, props: AlloyNodeAgentProps) {
    super(scope, id);
    const identity: ComponentIdentity = { name: 'alloy', instance: 'alloy-node', component: 'node-agent', image: 'alloy' };
    const config = nodeAgentConfig(props.destinations);
    this.configText = renderAlloy(config);
    const { container, checksum, configMap, volumes } = alloyContainer({
      identity,
      namespace: props.namespace,
      config,
      resources: props.resources ?? ALLOY_DEFAULTS.nodeAgentResources,
      env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
      volumeMounts: [
        { name: 'varlog', mountPath: '/var/log', readOnly: true },
        { name: 'state', mountPath: STORAGE },
        { name: 'tracefs', mountPath: TRACEFS, readOnly: true },
      ],
    });
    const workload = new ServiceWorkload(this, 'workload', {
      identity,
      namespace: props.namespace,
      wiring: props.wiring,
      kind: 'DaemonSet',
      access: { clusterRules: [{ apiGroups: [''], resources: ['pods', 'nodes', 'namespaces'], verbs: ['get', 'list', 'watch'] }] },
      configMaps: [configMap],
      pod: {
        runAsUser: 0,
        apiAccess: true,
        configChecksum: checksum,
        hostAccess: NODE_AGENT_HOST_ACCESS,
        priorityClassName: NODE_AGENT_PRIORITY_CLASS,
        tolerations: [{ operator: 'Exists' }],
        containers: [container],
        volumes: [
          ...volumes,
          { name: 'varlog', hostPath: { path: '/var/log', type: 'Directory' } },
          { name: 'state', hostPath: { path: NODE_AGENT_STATE_DIR, type: 'DirectoryOrCreate' } },
          { name: 'tracefs', hostPath: { path: TRACEFS, type: 'Directory' } },
        ],
      },
      ports: [HTTP_METRICS_PORT],
      monitor: { endpoints: [{ port: 'http-metrics' }] },
    });
    this.pods = workload.pods;
    this.scope = workload.scope;
    const d = props.destinations;
    for (const [target, purpose] of [[d.logs.endpoint, 'push logs'], [d.metrics.api.endpoint, 'remote write'], [d.profiles.endpoint, 'push profiles']] as const) {
      props.wiring.connect({ from: this.pods, to: target.pods, ports: [target.targetPort], purpose });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Clustered collector

/**
 * The Loki stream labels of OTLP logs and the resource attribute each comes from: the same
 * `namespace` and `pod` labels the node agent gives pod logs, so one selector (and Grafana's
 * trace-to-logs link) finds both.
 */
export const OTLP_LOG_LABELS = { namespace: 'k8s.namespace.name', pod: 'k8s.pod.name' } as const;

/** The intake the collector offers applications, with the standard port of each protocol. */
export const COLLECTOR_RECEIVER_PORTS = {
  'otlp-grpc': 4317,
  'otlp-http': 4318,
  'jaeger-grpc': 14250,
  'jaeger-thrift': 14268,
  zipkin: 9411,
} as const;
export type CollectorReceiver = keyof typeof COLLECTOR_RECEIVER_PORTS;

export interface AlloyCollectorProps {
  readonly namespace: string;
  readonly wiring: StackWiring;
  readonly destinations: AlloyDestinations;
  /** Replicas of the clustered collector; at least 2 for availability. @default 1 */
  readonly replicas?: number;
  /** PodDisruptionBudget and spreading across zones and nodes. @default false */
  readonly highAvailability?: boolean;
  /** @default ALLOY_DEFAULTS.collectorResources */
  readonly resources?: ResourceSpec;
  /**
   * Size of each replica's volume: the remote-write WAL, the export queues and the position of the
   * Kubernetes events, kept across restarts so a rollout neither drops a backlog nor resends events.
   * @default ALLOY_DEFAULTS.collectorStorageSize
   */
  readonly storageSize?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
}

const listenOn = (receiver: CollectorReceiver) => ({ endpoint: `0.0.0.0:${COLLECTOR_RECEIVER_PORTS[receiver]}` });

/** The collector's pipelines: OTLP/Jaeger/Zipkin intake with Kubernetes metadata, and cluster events. */
export function collectorConfig(d: AlloyDestinations): AlloyBlock[] {
  const logsOut = lokiWrite('default', d.logs, d.tenant, clusterLabels(d));
  const metricsOut = prometheusRemoteWrite('default', d.metrics, clusterLabels(d));
  const tenant: AlloyBlock = {
    name: 'otelcol.auth.headers',
    label: 'tenant',
    blocks: [{ name: 'header', attributes: { key: 'X-Scope-OrgID', value: d.tenant } }],
  };
  const tracesOut: AlloyBlock = {
    name: 'otelcol.exporter.otlp',
    label: 'tempo',
    blocks: [
      {
        name: 'client',
        // One address per distributor, balanced per request: through the ClusterIP every
        // long-lived gRPC stream would stay on the one distributor it first reached.
        attributes: { endpoint: `dns:///${d.traces.hostPort}`, balancer_name: 'round_robin', auth: ref(tenant, 'handler') },
        blocks: [{ name: 'tls', attributes: { insecure: true } }],
      },
    ],
  };
  const logsBridge: AlloyBlock = { name: 'otelcol.exporter.loki', label: 'default', attributes: { forward_to: [ref(logsOut, 'receiver')] } };
  const metricsBridge: AlloyBlock = { name: 'otelcol.exporter.prometheus', label: 'default', attributes: { forward_to: [ref(metricsOut, 'receiver')] } };
  const batch: AlloyBlock = {
    name: 'otelcol.processor.batch',
    label: 'default',
    blocks: [{ name: 'output', attributes: { metrics: [ref(metricsBridge, 'input')], logs: [ref(logsBridge, 'input')], traces: [ref(tracesOut, 'input')] } }],
  };
  // OTLP logs get the stack's stream labels: namespace and pod, as the node agent's pod logs
  // have them (otelcol.exporter.loki makes labels of exactly the attributes this hint lists).
  const logLabels: AlloyBlock = {
    name: 'otelcol.processor.transform',
    label: 'log_labels',
    attributes: { error_mode: 'ignore' },
    blocks: [
      {
        name: 'log_statements',
        attributes: {
          context: 'resource',
          statements: [
            ...Object.entries(OTLP_LOG_LABELS).map(([label, attribute]) => `set(attributes["${label}"], attributes["${attribute}"]) where attributes["${attribute}"] != nil`),
            `set(attributes["loki.resource.labels"], "${Object.keys(OTLP_LOG_LABELS).join(', ')}")`,
          ],
        },
      },
      { name: 'output', attributes: { logs: [ref(batch, 'input')] } },
    ],
  };
  const k8sattributes: AlloyBlock = {
    name: 'otelcol.processor.k8sattributes',
    label: 'default',
    blocks: [{ name: 'output', attributes: { metrics: [ref(batch, 'input')], logs: [ref(logLabels, 'input')], traces: [ref(batch, 'input')] } }],
  };
  // Refuses data (the senders retry) before the pod reaches its memory limit, instead of dying.
  const memoryLimiter: AlloyBlock = {
    name: 'otelcol.processor.memory_limiter',
    label: 'default',
    attributes: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
    blocks: [{ name: 'output', attributes: { metrics: [ref(k8sattributes, 'input')], logs: [ref(k8sattributes, 'input')], traces: [ref(k8sattributes, 'input')] } }],
  };
  const into = ref(memoryLimiter, 'input');
  const otlp: AlloyBlock = {
    name: 'otelcol.receiver.otlp',
    label: 'default',
    blocks: [
      { name: 'grpc', attributes: listenOn('otlp-grpc') },
      { name: 'http', attributes: listenOn('otlp-http') },
      { name: 'output', attributes: { metrics: [into], logs: [into], traces: [into] } },
    ],
  };
  const jaeger: AlloyBlock = {
    name: 'otelcol.receiver.jaeger',
    label: 'default',
    blocks: [
      { name: 'protocols', blocks: [{ name: 'grpc', attributes: listenOn('jaeger-grpc') }, { name: 'thrift_http', attributes: listenOn('jaeger-thrift') }] },
      { name: 'output', attributes: { traces: [into] } },
    ],
  };
  const zipkin: AlloyBlock = {
    name: 'otelcol.receiver.zipkin',
    label: 'default',
    attributes: listenOn('zipkin'),
    blocks: [{ name: 'output', attributes: { traces: [into] } }],
  };
  // Watching all namespaces, clustered: one replica at a time owns the events. After an owner
  // change the new owner may resend up to an hour of them (at-least-once, per Alloy's docs).
  const events: AlloyBlock = {
    name: 'loki.source.kubernetes_events',
    label: 'cluster',
    attributes: { forward_to: [ref(logsOut, 'receiver')] },
    blocks: [{ name: 'clustering', attributes: { enabled: true } }],
  };
  return [otlp, jaeger, zipkin, memoryLimiter, k8sattributes, logLabels, batch, tenant, tracesOut, logsBridge, metricsBridge, logsOut, metricsOut, events];
}

/**
 * The clustered Alloy collector (StatefulSet, Alloy clustering on): the one front door for
 * application telemetry over OTLP, Jaeger and Zipkin, with Kubernetes metadata on every span, and
 * the cluster-wide work that must happen once (Kubernetes events).
 */
export class AlloyCollector extends Construct {
  readonly pods: PodPeer;
  readonly scope: WorkloadScope;
  readonly configText: string;
  /** Where applications send telemetry, one endpoint per protocol. */
  readonly receivers: Readonly<Record<CollectorReceiver, Endpoint>>;

  constructor(scope: Construct, id: string, props: AlloyCollectorProps) {
    super(scope, id);
    const identity: ComponentIdentity = { name: 'alloy', instance: 'alloy-collector', component: 'collector', image: 'alloy' };
    const { namespace } = props;
    const highAvailability = props.highAvailability ?? false;
    const config = collectorConfig(props.destinations);
    this.configText = renderAlloy(config);
    const clusterService = `${identity.instance}-cluster`;
    const receiverPorts = (Object.entries(COLLECTOR_RECEIVER_PORTS) as [CollectorReceiver, number][]).map(([port, containerPort]) => ({ name: port, containerPort }));
    const { container, checksum, configMap, volumes } = alloyContainer({
      identity,
      namespace,
      config,
      resources: props.resources ?? ALLOY_DEFAULTS.collectorResources,
      extraArgs: ['--cluster.enabled=true', `--cluster.join-addresses=${clusterService}.${namespace}.svc:${ALLOY_HTTP_PORT}`],
      extraPorts: receiverPorts,
      volumeMounts: [{ name: 'state', mountPath: STORAGE }],
    });
    const workload = new ServiceWorkload(this, 'workload', {
      identity,
      namespace,
      wiring: props.wiring,
      kind: 'StatefulSet',
      replicas: props.replicas ?? ALLOY_DEFAULTS.collectorReplicas,
      access: {
        clusterRules: [
          // Kubernetes attributes on spans, and the cluster's events.
          { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes', 'events'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
        ],
      },
      configMaps: [configMap],
      pod: {
        apiAccess: true,
        runAsUser: ALLOY_USER,
        configChecksum: checksum,
        containers: [container],
        volumes,
        spread: highAvailability ? { acrossZones: true, acrossNodes: true } : undefined,
      },
      storage: { name: 'state', size: props.storageSize ?? ALLOY_DEFAULTS.collectorStorageSize, storageClassName: props.storageClassName },
      disruptionBudget: highAvailability,
      // Peers find each other before they are ready: a replica joins the cluster to become ready.
      governingService: { name: clusterService, ports: ['http-metrics'], publishNotReadyAddresses: true },
      ports: [
        HTTP_METRICS_PORT,
        ...receiverPorts.map((p) => ({ name: p.name, port: p.containerPort, targetPort: p.name, appProtocol: p.name.endsWith('grpc') ? 'grpc' : 'http' })),
      ],
      monitor: { endpoints: [{ port: 'http-metrics' }] },
    });
    this.pods = workload.pods;
    this.scope = workload.scope;
    this.receivers = Object.fromEntries(receiverPorts.map((p) => [p.name, workload.service.endpoint(p.name)])) as Record<CollectorReceiver, Endpoint>;

    const d = props.destinations;
    props.wiring.connect({ from: this.pods, to: this.pods, ports: ['http-metrics'], purpose: 'alloy clustering' });
    for (const [target, purpose] of [[d.logs.endpoint, 'push logs'], [d.metrics.api.endpoint, 'remote write'], [d.traces, 'push traces']] as const) {
      props.wiring.connect({ from: this.pods, to: target.pods, ports: [target.targetPort], purpose });
    }
    // Any pod of the cluster may send telemetry.
    props.wiring.openToCluster({ to: this.pods, ports: receiverPorts.map((p) => p.name), purpose: 'application telemetry' });
  }
}
