import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { Endpoint, HttpApi, PodPeer } from '../common/endpoints';
import { ServiceWorkload } from '../common/service-workload';
import { IngressSettings, uiIngress } from '../common/ingress';
import { CLUSTER_LABEL, ComponentIdentity } from '../common/labels';
import { livenessProbe, readinessProbe, startupProbe } from '../common/probes';
import { ResourceSpec } from '../common/resources';
import { StackWiring } from '../common/wiring';
import { configChecksum } from '../common/workload';

/** Cloud providers whose list prices OpenCost reads; it detects which one from the nodes. */
export const CLOUD_PROVIDERS = ['aws', 'gcp', 'azure'] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** Prices of a cluster with no cloud price list (on premises), in the currency of your choice. */
export interface CustomPricing {
  readonly provider: 'custom';
  /** Price of one CPU core for one hour. */
  readonly cpuCoreHour: number;
  /** Price of one GiB of memory for one hour. */
  readonly ramGibHour: number;
  /** Price of one GiB of persistent storage for one month. */
  readonly storageGibMonth: number;
  /** Price of one GPU for one hour. @default 0 */
  readonly gpuHour?: number;
  /** ISO 4217 code the prices are in. @default 'USD' */
  readonly currency?: string;
}

/** List prices of a public cloud. */
export interface CloudPricing {
  readonly provider: CloudProvider;
  /**
   * Secret (created by you) with OpenCost's cloud key: for `gcp` the pricing API key under
   * `api-key` (required: OpenCost does not start on GCP without it); for `aws` and `azure` an
   * optional `service-key.json` for billing-account prices.
   * @default - none (required for gcp)
   */
  readonly credentialsSecret?: string;
}

export type OpenCostPricing = CustomPricing | CloudPricing;

/** What an environment sets for OpenCost (`opencost:` in its config). */
export interface OpenCostSettings {
  /** Cloud list prices, or your own prices on premises. @default - OPENCOST_DEFAULTS.pricing: OpenCost's own on-premises defaults */
  readonly pricing?: OpenCostPricing;
  /** @default OPENCOST_DEFAULTS.resources */
  readonly resources?: ResourceSpec;
  /** How users reach the OpenCost UI from outside the cluster. @default - no Ingress: `kubectl port-forward svc/opencost-ui 9090` */
  readonly ingress?: IngressSettings;
}

export interface OpenCostProps extends OpenCostSettings {
  readonly namespace: string;
  readonly wiring: StackWiring;
  /** The metrics store's Prometheus-compatible query API, which OpenCost reads. */
  readonly metrics: HttpApi;
  /** The tenant OpenCost reads as (`X-Scope-OrgID`). */
  readonly tenant: string;
  /** This cluster's name: the `cluster` label of its series, and the cluster id OpenCost reports. */
  readonly clusterName: string;
}

export const OPENCOST_DEFAULTS = {
  /** The prices OpenCost ships for clusters without a price list (its configs/default.json). */
  pricing: { provider: 'custom', cpuCoreHour: 0.031611, ramGibHour: 0.004237, storageGibMonth: 0.04, gpuHour: 0.95, currency: 'USD' } as CustomPricing,
  resources: { cpuRequest: '10m', memoryRequest: '128Mi', memoryLimit: '1Gi' },
  uiResources: { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '128Mi' },
} as const;

const IDENTITY: ComponentIdentity = { name: 'opencost', instance: 'opencost', component: 'cost', image: 'opencost' };
const UI_IDENTITY: ComponentIdentity = { name: 'opencost', instance: 'opencost', component: 'ui', image: 'opencostUi' };
/** nginx in the UI image serves the app and proxies /model/ to the API. */
const UI_PORT = 9090;
/** The UI image's user (its Dockerfile: `USER 1001`). */
const UI_RUN_AS_USER = 1001;
/** The UI's static files: its entrypoint rewrites them at start, so they live on a writable copy. */
const UI_WEB_ROOT = '/var/www';
/** The image's own user (its Dockerfile: `USER 1001`). */
const RUN_AS_USER = 1001;
/** API, /metrics and /healthz share one listener. */
const HTTP_PORT = 9003;
/** Where OpenCost writes its pricing and metrics settings: it must be writable. */
const CONFIG_PATH = '/var/configs';
/** The ConfigMap OpenCost watches for custom prices (PRICING_CONFIGMAP_NAME). */
const PRICING_CONFIG_MAP = 'opencost-pricing';
/** Hours in OpenCost's month: its pricing ConfigMap takes monthly prices and divides them by this. */
export const HOURS_PER_MONTH = 730;

/**
 * The kube-state-metrics v1 series OpenCost still emits in its minimal mode. kube-state-metrics
 * exports the same names, so these copies would double every sum and break every join on them;
 * the scrape drops them. OpenCost keeps its `*_cpu_cores`/`*_memory_bytes` node series, which
 * kube-state-metrics v2 no longer has and OpenCost queries.
 */
export const OPENCOST_DUPLICATE_SERIES = 'kube_node_status_(capacity|allocatable)|kube_node_labels|kube_namespace_labels|kube_pod_labels|kube_pod_owner|kube_persistentvolume_.*|kube_persistentvolumeclaim_.*';

/**
 * The object labels OpenCost reads from kube-state-metrics: it assigns pods to Deployments,
 * StatefulSets and Services by matching their selectors against `kube_pod_labels`, and groups
 * costs by namespace and node labels. Without them every controller's cost is "unallocated".
 */
export const OPENCOST_KSM_LABELS: Readonly<Record<string, readonly string[]>> = { pods: ['*'], namespaces: ['*'], nodes: ['*'] };

/** Where a series OpenCost reads comes from: an exporter the stack scrapes. */
export type OpenCostSource = 'kube-state-metrics' | 'cadvisor' | 'kubelet' | 'node-exporter' | 'opencost';

/**
 * The series OpenCost's allocation and asset queries read (docs/research/opencost.md, section 6),
 * with the exporter that provides each in this stack. Optional inputs it does without (DCGM GPU
 * metrics, Kubecost-only network series) are left out.
 */
export const OPENCOST_INPUTS: Readonly<Record<string, OpenCostSource>> = {
  kube_pod_container_status_running: 'kube-state-metrics',
  kube_pod_container_resource_requests: 'kube-state-metrics',
  kube_pod_container_resource_limits: 'kube-state-metrics',
  kube_pod_labels: 'kube-state-metrics',
  kube_pod_owner: 'kube-state-metrics',
  kube_replicaset_owner: 'kube-state-metrics',
  kube_namespace_labels: 'kube-state-metrics',
  kube_node_labels: 'kube-state-metrics',
  kube_persistentvolumeclaim_info: 'kube-state-metrics',
  kube_persistentvolumeclaim_resource_requests_storage_bytes: 'kube-state-metrics',
  kube_persistentvolume_capacity_bytes: 'kube-state-metrics',
  container_cpu_usage_seconds_total: 'cadvisor',
  container_memory_working_set_bytes: 'cadvisor',
  container_network_receive_bytes_total: 'cadvisor',
  container_network_transmit_bytes_total: 'cadvisor',
  container_fs_usage_bytes: 'cadvisor',
  container_fs_limit_bytes: 'cadvisor',
  kubelet_volume_stats_used_bytes: 'kubelet',
  node_cpu_seconds_total: 'node-exporter',
  node_cpu_hourly_cost: 'opencost',
  node_ram_hourly_cost: 'opencost',
  node_gpu_hourly_cost: 'opencost',
  node_total_hourly_cost: 'opencost',
  node_gpu_count: 'opencost',
  kubecost_node_is_spot: 'opencost',
  container_cpu_allocation: 'opencost',
  container_memory_allocation_bytes: 'opencost',
  container_gpu_allocation: 'opencost',
  pv_hourly_cost: 'opencost',
  pod_pvc_allocation: 'opencost',
  kubecost_pv_info: 'opencost',
  kubecost_cluster_info: 'opencost',
  service_selector_labels: 'opencost',
  deployment_match_labels: 'opencost',
  statefulSet_match_labels: 'opencost',
  kube_node_status_capacity_cpu_cores: 'opencost',
  kube_node_status_capacity_memory_bytes: 'opencost',
  kube_node_status_allocatable_cpu_cores: 'opencost',
  kube_node_status_allocatable_memory_bytes: 'opencost',
};

/** Objects OpenCost lists and watches across the cluster, by API group. */
const WATCHED: Record<string, string[]> = {
  '': ['namespaces', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'replicationcontrollers', 'resourcequotas', 'services'],
  apps: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  batch: ['jobs'],
  policy: ['poddisruptionbudgets'],
  'storage.k8s.io': ['storageclasses'],
};

export function openCostRules(): k8s.PolicyRule[] {
  return [
    ...Object.entries(WATCHED).map(([apiGroup, resources]) => ({ apiGroups: [apiGroup], resources, verbs: ['list', 'watch'] })),
    // The cluster's identity: the uid of the kube-system namespace.
    { apiGroups: [''], resources: ['namespaces'], resourceNames: ['kube-system'], verbs: ['get'] },
  ];
}

/** The currency costs are reported in: your own for custom prices, US dollars for cloud list prices. */
export function pricingCurrency(pricing: OpenCostPricing = OPENCOST_DEFAULTS.pricing): string {
  return pricing.provider === 'custom' ? (pricing.currency ?? 'USD') : 'USD';
}

/** A price as OpenCost's pricing ConfigMap wants it: a decimal string, free of float noise. */
function price(value: number): string {
  return String(Number(value.toPrecision(10)));
}

/**
 * The UI's nginx site: the app from the web root, `/model/` proxied to the API (the app calls
 * the API at the relative path /model), and /healthz for probes. Mounting it also stops the
 * entrypoint from rendering its own from a template.
 */
export function uiNginxConfig(api: Endpoint): string {
  return [
    'upstream model {',
    `  server ${api.host}:${api.port};`,
    '}',
    '',
    'server {',
    `  listen ${UI_PORT};`,
    `  root ${UI_WEB_ROOT};`,
    '  index index.html;',
    '',
    '  location /healthz {',
    '    access_log off;',
    "    return 200 'ok';",
    '  }',
    '',
    '  location /model/ {',
    '    proxy_pass http://model/;',
    '    proxy_read_timeout 300s;',
    '  }',
    '',
    '  location / {',
    '    try_files $uri $uri/ /index.html;',
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The pricing ConfigMap's data: monthly prices, which OpenCost divides by 730 into hourly ones. */
export function customPricingData(pricing: CustomPricing): Record<string, string> {
  return {
    provider: 'custom',
    description: 'Prices set in this stack\'s environment configuration',
    CPU: price(pricing.cpuCoreHour * HOURS_PER_MONTH),
    RAM: price(pricing.ramGibHour * HOURS_PER_MONTH),
    GPU: price((pricing.gpuHour ?? 0) * HOURS_PER_MONTH),
    storage: price(pricing.storageGibMonth),
    currencyCode: pricing.currency ?? 'USD',
  };
}

/**
 * OpenCost: the cost of every namespace and workload, computed from the stack's own metrics (read
 * from the metrics store as the tenant) and the cluster's prices; its cost metrics are scraped
 * back into the store for dashboards.
 */
export class OpenCost extends Construct {
  readonly pods: PodPeer;
  readonly http: Endpoint;
  /** The UI's Service port. */
  readonly ui: Endpoint;

  constructor(scope: Construct, id: string, props: OpenCostProps) {
    super(scope, id);
    const { namespace } = props;
    const pricing = props.pricing ?? OPENCOST_DEFAULTS.pricing;
    const pricingData = pricing.provider === 'custom' ? customPricingData(pricing) : undefined;
    const cloudSecret = pricing.provider === 'custom' ? undefined : pricing.credentialsSecret;
    const env: k8s.EnvVar[] = [
      { name: 'PROMETHEUS_SERVER_ENDPOINT', value: props.metrics.url() },
      { name: 'PROMETHEUS_HEADER_X_SCOPE_ORGID', value: props.tenant },
      { name: 'CLUSTER_ID', value: props.clusterName },
      { name: 'PROM_CLUSTER_ID_LABEL', value: CLUSTER_LABEL },
      // Queries only this cluster's series: the tenant may hold several clusters.
      { name: 'CURRENT_CLUSTER_ID_FILTER_ENABLED', value: 'true' },
      { name: 'CONFIG_PATH', value: CONFIG_PATH },
      { name: 'INSTALL_NAMESPACE', value: namespace },
      { name: 'PRICING_CONFIGMAP_NAME', value: PRICING_CONFIG_MAP },
      // Only the node series kube-state-metrics v2 lacks; the rest comes from kube-state-metrics.
      { name: 'EMIT_KSM_V1_METRICS', value: 'false' },
      { name: 'EMIT_KSM_V1_METRICS_ONLY', value: 'true' },
      // The MCP server is a second listener nobody here uses.
      { name: 'MCP_SERVER_ENABLED', value: 'false' },
      ...(pricing.provider === 'custom' ? [{ name: 'USE_CUSTOM_PROVIDER', value: 'true' }] : []),
      ...(pricing.provider === 'gcp' && cloudSecret
        ? [{ name: 'CLOUD_PROVIDER_API_KEY', valueFrom: { secretKeyRef: { name: cloudSecret, key: 'api-key' } } }]
        : []),
    ];
    const serviceKey = cloudSecret && pricing.provider !== 'gcp';

    const api = new ServiceWorkload(this, 'api', {
      identity: IDENTITY,
      namespace,
      wiring: props.wiring,
      access: {
        clusterRules: openCostRules(),
        // Its own namespace only: the pricing ConfigMap it watches.
        namespaceRules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
      },
      configMaps: pricingData ? [{ name: PRICING_CONFIG_MAP, data: pricingData }] : [],
      // One replica, replaced rather than doubled: two would export every cost series twice.
      replicas: 1,
      recreate: true,
      pod: {
        apiAccess: true,
        runAsUser: RUN_AS_USER,
        configChecksum: configChecksum(JSON.stringify(pricingData ?? {})),
        containers: [
          {
            name: 'opencost',
            image: 'opencost',
            env,
            ports: [{ name: 'http', containerPort: HTTP_PORT }],
            resources: props.resources ?? OPENCOST_DEFAULTS.resources,
            startupProbe: startupProbe({ port: 'http', path: '/healthz', maxStartupSeconds: 300 }),
            readinessProbe: readinessProbe({ port: 'http', path: '/healthz' }),
            livenessProbe: livenessProbe({ port: 'http', path: '/healthz' }),
            volumeMounts: [
              { name: 'config', mountPath: CONFIG_PATH },
              { name: 'tmp', mountPath: '/tmp' },
              ...(serviceKey ? [{ name: 'cloud-key', mountPath: '/var/secrets', readOnly: true }] : []),
            ],
          },
        ],
        volumes: [
          { name: 'config', emptyDir: {} },
          { name: 'tmp', emptyDir: {} },
          ...(serviceKey ? [{ name: 'cloud-key', secret: { secretName: cloudSecret } }] : []),
        ],
      },
      ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http', appProtocol: 'http' }],
      // Cost series describe other pods and nodes: keep their namespace/pod/node labels.
      monitor: { endpoints: [{ port: 'http', honorLabels: true, dropMetrics: OPENCOST_DUPLICATE_SERIES }] },
    });
    this.pods = api.pods;
    this.http = api.service.endpoint('http');
    props.wiring.connect({ from: this.pods, to: props.metrics.endpoint.pods, ports: [props.metrics.endpoint.targetPort], purpose: 'cost queries' });

    this.ui = this.renderUi(props);
  }

  private renderUi(props: OpenCostProps): Endpoint {
    const nginx = uiNginxConfig(this.http);
    const ui = new ServiceWorkload(this, 'ui', {
      identity: UI_IDENTITY,
      name: `${IDENTITY.name}-ui`,
      namespace: props.namespace,
      wiring: props.wiring,
      configMaps: [{ name: `${IDENTITY.name}-ui`, data: { 'default.nginx.conf': nginx } }],
      replicas: 1,
      pod: {
        runAsUser: UI_RUN_AS_USER,
        configChecksum: configChecksum(nginx),
        // The image's files, copied to a volume the entrypoint may rewrite under a read-only root.
        initContainers: [
          {
            name: 'copy-web-root',
            image: 'opencostUi',
            command: ['sh', '-c', `cp -R ${UI_WEB_ROOT}/. /web/`],
            resources: OPENCOST_DEFAULTS.uiResources,
            volumeMounts: [{ name: 'web', mountPath: '/web' }],
          },
        ],
        containers: [
          {
            name: 'opencost-ui',
            image: 'opencostUi',
            ports: [{ name: 'http', containerPort: UI_PORT }],
            resources: OPENCOST_DEFAULTS.uiResources,
            readinessProbe: readinessProbe({ port: 'http', path: '/healthz' }),
            livenessProbe: livenessProbe({ port: 'http', path: '/healthz' }),
            volumeMounts: [
              { name: 'web', mountPath: UI_WEB_ROOT },
              { name: 'config', mountPath: '/etc/nginx/conf.d/default.nginx.conf', subPath: 'default.nginx.conf', readOnly: true },
              { name: 'tmp', mountPath: '/tmp' },
            ],
          },
        ],
        volumes: [
          { name: 'web', emptyDir: {} },
          { name: 'config', configMap: { name: `${IDENTITY.name}-ui` } },
          { name: 'tmp', emptyDir: {} },
        ],
      },
      ports: [{ name: 'http', port: UI_PORT, targetPort: 'http', appProtocol: 'http' }],
    });
    props.wiring.connect({ from: ui.pods, to: this.pods, ports: ['http'], purpose: 'UI calls to the cost API' });
    // Users reach the UI through the cluster's ingress controller, wherever it runs.
    props.wiring.openToCluster({ to: ui.pods, ports: ['http'], purpose: 'users, through the ingress controller' });
    if (props.ingress) uiIngress(this, 'ui-ingress', { service: ui.service, port: 'http', labels: ui.labels, settings: props.ingress });
    return ui.service.endpoint('http');
  }
}
