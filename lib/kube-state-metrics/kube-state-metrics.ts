import { Construct } from 'constructs';
import { withDefaults } from '../common/defaults';
import { k8s } from 'cdk8s-plus-28';
import { PodPeer } from '../common/endpoints';
import { ComponentIdentity } from '../common/labels';
import { livenessProbe, readinessProbe, startupProbe } from '../common/probes';
import { ResourceSpec } from '../common/resources';
import { StackWiring } from '../common/wiring';
import { ServiceWorkload } from '../common/service-workload';

/** What an environment sets for kube-state-metrics (`kubeStateMetrics:` in its config). */
export interface KubeStateMetricsSettings {
  /** @default KUBE_STATE_METRICS_DEFAULTS.resources */
  readonly resources?: ResourceSpec;
}

export interface KubeStateMetricsProps extends KubeStateMetricsSettings {
  readonly namespace: string;
  readonly wiring: StackWiring;
  /**
   * Kubernetes labels exported as `label_*` on `kube_<resource>_labels`, per resource (plural
   * name, e.g. `pods`) with the label names or `*` (`--metric-labels-allowlist`).
   * @default - none: kube_*_labels carry no object labels
   */
  readonly metricLabelsAllowlist?: Readonly<Record<string, readonly string[]>>;
}

/** The `--metric-labels-allowlist` value: `pods=[*],namespaces=[app,team]`, resources in order. */
export function metricLabelsAllowlistFlag(allowlist: Readonly<Record<string, readonly string[]>>): string | undefined {
  const entries = Object.entries(allowlist).sort(([a], [b]) => a.localeCompare(b));
  for (const [resource] of entries) {
    if (!KSM_RESOURCES.some((r) => r.resource === resource)) throw new Error(`kube-state-metrics: 'metricLabelsAllowlist' names ${resource}, which it does not export`);
  }
  return entries.length ? `--metric-labels-allowlist=${entries.map(([r, labels]) => `${r}=[${labels.join(',')}]`).join(',')}` : undefined;
}

export const KUBE_STATE_METRICS_DEFAULTS = {
  resources: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
  metricLabelsAllowlist: {},
} as const;

const IDENTITY: ComponentIdentity = {
  name: 'kube-state-metrics',
  instance: 'kube-state-metrics',
  component: 'exporter',
  image: 'kubeStateMetrics',
};
const RUN_AS_USER = 65534;
const METRICS_PORT = 8080;
const TELEMETRY_PORT = 8081;

/**
 * The Kubernetes objects kube-state-metrics describes, with their API group. This one list gives
 * both the `--resources` flag and the read-only RBAC rules, so the two cannot drift apart.
 *
 * It is v2.20.0's default set minus the four admission-policy resources, which v2.20.0 reads
 * through `admissionregistration.k8s.io/v1`: Kubernetes 1.28 does not serve them there, and the
 * stores would fail to list.
 */
export const KSM_RESOURCES: readonly { readonly resource: string; readonly apiGroup: string }[] = [
  { resource: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' },
  { resource: 'configmaps', apiGroup: '' },
  { resource: 'cronjobs', apiGroup: 'batch' },
  { resource: 'daemonsets', apiGroup: 'apps' },
  { resource: 'deployments', apiGroup: 'apps' },
  { resource: 'endpointslices', apiGroup: 'discovery.k8s.io' },
  { resource: 'horizontalpodautoscalers', apiGroup: 'autoscaling' },
  { resource: 'ingresses', apiGroup: 'networking.k8s.io' },
  { resource: 'jobs', apiGroup: 'batch' },
  { resource: 'leases', apiGroup: 'coordination.k8s.io' },
  { resource: 'limitranges', apiGroup: '' },
  { resource: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' },
  { resource: 'namespaces', apiGroup: '' },
  { resource: 'networkpolicies', apiGroup: 'networking.k8s.io' },
  { resource: 'nodes', apiGroup: '' },
  { resource: 'persistentvolumeclaims', apiGroup: '' },
  { resource: 'persistentvolumes', apiGroup: '' },
  { resource: 'poddisruptionbudgets', apiGroup: 'policy' },
  { resource: 'pods', apiGroup: '' },
  { resource: 'replicasets', apiGroup: 'apps' },
  { resource: 'replicationcontrollers', apiGroup: '' },
  { resource: 'resourcequotas', apiGroup: '' },
  { resource: 'secrets', apiGroup: '' },
  { resource: 'services', apiGroup: '' },
  { resource: 'statefulsets', apiGroup: 'apps' },
  { resource: 'storageclasses', apiGroup: 'storage.k8s.io' },
  { resource: 'validatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' },
  { resource: 'volumeattachments', apiGroup: 'storage.k8s.io' },
];

/** list+watch on exactly the resources above, grouped by API group. */
export function kubeStateMetricsRules(): k8s.PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const { resource, apiGroup } of KSM_RESOURCES) {
    byGroup.set(apiGroup, [...(byGroup.get(apiGroup) ?? []), resource]);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([apiGroup, resources]) => ({ apiGroups: [apiGroup], resources: resources.sort(), verbs: ['list', 'watch'] }));
}

/** kube-state-metrics: metrics about the state of Kubernetes objects (deployments, pods, nodes...). */
export class KubeStateMetrics extends Construct {
  readonly pods: PodPeer;

  constructor(scope: Construct, id: string, given: KubeStateMetricsProps) {
    super(scope, id);
    const props = withDefaults(given, KUBE_STATE_METRICS_DEFAULTS);
    const workload = new ServiceWorkload(this, 'workload', {
      identity: IDENTITY,
      namespace: props.namespace,
      wiring: props.wiring,
      access: { clusterRules: kubeStateMetricsRules() },
      // One replica: a second would export every series twice.
      replicas: 1,
      pod: {
        apiAccess: true,
        runAsUser: RUN_AS_USER,
        containers: [
          {
            name: 'kube-state-metrics',
            image: 'kubeStateMetrics',
            args: [
              `--port=${METRICS_PORT}`,
              `--telemetry-port=${TELEMETRY_PORT}`,
              `--resources=${KSM_RESOURCES.map((r) => r.resource).join(',')}`,
              ...[metricLabelsAllowlistFlag(props.metricLabelsAllowlist)].filter((f): f is string => f !== undefined),
            ],
            ports: [
              { name: 'http-metrics', containerPort: METRICS_PORT },
              { name: 'telemetry', containerPort: TELEMETRY_PORT },
            ],
            resources: props.resources,
            // /healthz answers as soon as the server is up; /livez follows the API server; /readyz
            // (telemetry port) once metrics are served.
            startupProbe: startupProbe({ port: 'http-metrics', path: '/healthz', maxStartupSeconds: 120 }),
            livenessProbe: livenessProbe({ port: 'http-metrics', path: '/livez' }),
            readinessProbe: readinessProbe({ port: 'telemetry', path: '/readyz' }),
          },
        ],
      },
      ports: [
        { name: 'http-metrics', port: METRICS_PORT, targetPort: 'http-metrics', appProtocol: 'http' },
        { name: 'telemetry', port: TELEMETRY_PORT, targetPort: 'telemetry', appProtocol: 'http' },
      ],
      // The exported series describe other objects: keep their namespace/pod labels.
      monitor: { endpoints: [{ port: 'http-metrics', honorLabels: true }, { port: 'telemetry' }] },
    });
    this.pods = workload.pods;
  }
}
