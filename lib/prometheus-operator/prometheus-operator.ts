import { Construct } from 'constructs';
import { withDefaults } from '../common/defaults';
import { k8s } from 'cdk8s-plus-28';
import { Endpoint, PodPeer } from '../common/endpoints';
import { imageOf } from '../common/images';
import { ComponentIdentity } from '../common/labels';
import { livenessProbe, readinessProbe } from '../common/probes';
import { ResourceSpec } from '../common/resources';
import { StackWiring } from '../common/wiring';
import { ServiceWorkload } from '../common/service-workload';
import { ExternalService } from '../kubernetes-monitors/external-services';

/** Verbosity of the operator's logs (`--log-level`). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** What an environment sets for the operator (`prometheusOperator:` in its config). */
export interface PrometheusOperatorSettings {
  /** @default 'info' */
  readonly logLevel?: LogLevel;
  /** @default PROMETHEUS_OPERATOR_DEFAULTS.resources */
  readonly resources?: ResourceSpec;
}

export interface PrometheusOperatorProps extends PrometheusOperatorSettings {
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** The kubelet Service the operator keeps in sync with the cluster's nodes. */
  readonly kubeletService: ExternalService;
}

/** The operator's defaults for every optional prop. */
export const PROMETHEUS_OPERATOR_DEFAULTS = {
  logLevel: 'info' as LogLevel,
  resources: { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
} as const;

const IDENTITY: ComponentIdentity = {
  name: 'prometheus-operator',
  instance: 'prometheus-operator',
  component: 'controller',
  image: 'prometheusOperator',
};
/** The operator image runs as `nobody`. */
const RUN_AS_USER = 65534;
const HTTP_PORT = 8080;

/**
 * prometheus-operator v0.93.1: reconciles Prometheus, ServiceMonitor, PodMonitor, PrometheusRule
 * and friends in every namespace. Least-privilege RBAC after the project's own example role.
 */
export class PrometheusOperator extends Construct {
  readonly pods: PodPeer;
  readonly metrics: Endpoint;

  constructor(scope: Construct, id: string, given: PrometheusOperatorProps) {
    super(scope, id);
    const props = withDefaults(given, PROMETHEUS_OPERATOR_DEFAULTS);
    const kubelet = props.kubeletService;
    const workload = new ServiceWorkload(this, 'workload', {
      identity: IDENTITY,
      namespace: props.namespace,
      wiring: props.wiring,
      access: { clusterRules: operatorRules() },
      // The operator has no leader election: exactly one replica.
      replicas: 1,
      recreate: true,
      pod: {
        apiAccess: true,
        runAsUser: RUN_AS_USER,
        containers: [
          {
            name: 'prometheus-operator',
            image: 'prometheusOperator',
            args: [
              `--kubelet-service=${kubelet.namespace}/${kubelet.name}`,
              // EndpointSlices (GA since 1.21) instead of the deprecated Endpoints API.
              '--kubelet-endpoints=false',
              '--kubelet-endpointslice=true',
              `--prometheus-config-reloader=${imageOf('prometheusConfigReloader')}`,
              `--web.listen-address=:${HTTP_PORT}`,
              `--log-level=${props.logLevel}`,
              '--log-format=logfmt',
            ],
            // Trades some CPU for a smaller heap, as upstream's example does.
            env: [{ name: 'GOGC', value: '30' }],
            ports: [{ name: 'http', containerPort: HTTP_PORT }],
            resources: props.resources,
            readinessProbe: readinessProbe({ port: 'http', path: '/healthz' }),
            livenessProbe: livenessProbe({ port: 'http', path: '/healthz' }),
          },
        ],
      },
      ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http', appProtocol: 'http' }],
      monitor: { endpoints: [{ port: 'http' }] },
    });
    this.pods = workload.pods;
    this.metrics = workload.service.endpoint('http');
  }
}

/**
 * What prometheus-operator v0.93.x calls, resource by resource, read from its source at the tag
 * (client calls, informers, and the permission checks it runs at start): its example role grants
 * `*` on three of these, and our roles name each verb instead. It watches the monitoring
 * resources, writes only their status and the finalizer references of the objects it creates,
 * and owns the StatefulSets, ConfigMaps and Secrets it renders. No leases: it has no leader
 * election. The EndpointSlices are the kubelet targets of --kubelet-endpointslice.
 */
function operatorRules(): k8s.PolicyRule[] {
  const workloads = ['alertmanagers', 'prometheuses', 'prometheusagents', 'thanosrulers'];
  const configuration = ['servicemonitors', 'podmonitors', 'probes', 'prometheusrules', 'scrapeconfigs'];
  return [
    { apiGroups: ['monitoring.coreos.com'], resources: [...workloads, 'alertmanagerconfigs', ...configuration], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['monitoring.coreos.com'], resources: [...workloads, ...configuration].map((r) => `${r}/status`), verbs: ['update', 'patch'] },
    { apiGroups: ['monitoring.coreos.com'], resources: workloads.map((r) => `${r}/finalizers`), verbs: ['update'] },
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
    { apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['list'] },
    { apiGroups: [''], resources: ['services', 'services/finalizers'], verbs: ['get', 'create', 'update'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'create', 'list', 'update', 'delete'] },
    { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['patch', 'create'] },
    { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get'] },
  ];
}
