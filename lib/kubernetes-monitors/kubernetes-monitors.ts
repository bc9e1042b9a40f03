import { Construct } from 'constructs';
import {
  ServiceMonitor,
  ServiceMonitorSpecEndpoints,
  ServiceMonitorSpecEndpointsMetricRelabelings,
  ServiceMonitorSpecEndpointsMetricRelabelingsAction,
  ServiceMonitorSpecEndpointsRelabelingsAction,
  ServiceMonitorSpecEndpointsScheme,
} from '../../imports/monitoring.coreos.com';
import { standardLabels } from '../common/labels';
import { API_SERVER_SERVICE, ExternalService, KUBELET_SERVICE } from './external-services';

export interface KubernetesMonitorsProps {
  /** Namespace the ServiceMonitors live in (the stack's namespace). */
  readonly namespace: string;
  /**
   * Verify the kubelets' serving certificates. Most clusters give kubelets self-signed serving
   * certificates; turn this on only where kubelet certificates are signed by the cluster CA
   * (`serverTLSBootstrap: true`).
   * @default false
   */
  readonly verifyKubeletCertificates?: boolean;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

function drop(regex: string, sourceLabels = ['__name__']): ServiceMonitorSpecEndpointsMetricRelabelings {
  return { action: ServiceMonitorSpecEndpointsMetricRelabelingsAction.DROP, sourceLabels, regex };
}

/** Keeps the scrape path apart in a label: /metrics and /metrics/cadvisor share one job. */
const METRICS_PATH_LABEL = {
  action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE,
  sourceLabels: ['__metrics_path__'],
  targetLabel: 'metrics_path',
};

/**
 * ServiceMonitors for the parts of Kubernetes itself: kubelets (their own metrics, cAdvisor's
 * container metrics and probe results) and the API server. Both scrape with Prometheus' own
 * ServiceAccount token; the Prometheus ClusterRole grants the matching non-resource URLs.
 */
export class KubernetesMonitors extends Construct {
  constructor(scope: Construct, id: string, props: KubernetesMonitorsProps) {
    super(scope, id);
    const kubeletTls = props.verifyKubeletCertificates
      ? { caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt` }
      : { insecureSkipVerify: true };
    const kubeletEndpoint = (path: string, extra: Partial<ServiceMonitorSpecEndpoints> = {}): ServiceMonitorSpecEndpoints => ({
      port: 'https-metrics',
      scheme: ServiceMonitorSpecEndpointsScheme.HTTPS,
      path,
      bearerTokenFile: `${SERVICE_ACCOUNT_DIR}/token`,
      tlsConfig: kubeletTls,
      // Series describe pods of every namespace: keep their own namespace/pod labels.
      honorLabels: true,
      relabelings: [METRICS_PATH_LABEL],
      ...extra,
    });
    this.monitor('kubelet', KUBELET_SERVICE, props, 'app.kubernetes.io/name', [
      kubeletEndpoint('/metrics'),
      kubeletEndpoint('/metrics/cadvisor', {
        // cAdvisor stamps samples with its own collection time; that confuses staleness handling.
        honorTimestamps: false,
        metricRelabelings: [
          // Rarely used and expensive series.
          drop('container_(network_tcp_usage_total|network_udp_usage_total|tasks_state|cpu_load_average_10s|blkio_device_usage_total)'),
          // Series of the cgroup hierarchy itself, with neither pod nor namespace.
          drop('(container_spec_.*|container_file_descriptors|container_sockets|container_threads_max|container_threads|container_start_time_seconds|container_last_seen);;', ['__name__', 'pod', 'namespace']),
        ],
      }),
      kubeletEndpoint('/metrics/probes'),
    ]);

    this.monitor('kube-apiserver', API_SERVER_SERVICE, props, 'component', [
      {
        port: 'https',
        scheme: ServiceMonitorSpecEndpointsScheme.HTTPS,
        bearerTokenFile: `${SERVICE_ACCOUNT_DIR}/token`,
        tlsConfig: { caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`, serverName: 'kubernetes' },
        metricRelabelings: [
          // etcd client internals and per-admission-step latencies: high cardinality, low value.
          drop('etcd_(debugging|disk|server).*'),
          drop('apiserver_admission_(controller_admission|step_admission)_latencies_seconds_.*'),
          // Keep the buckets SLO alerts need; drop the fine-grained ones between them.
          drop(
            '(apiserver_request|apiserver_request_sli|etcd_request)_duration_seconds_bucket;(0.15|0.25|0.3|0.35|0.4|0.45|0.6|0.7|0.8|0.9|1.25|1.5|1.75|2.5|3|3.5|4.5|6|7|8|9|15|25|30|50)',
            ['__name__', 'le'],
          ),
          // The same for request body sizes: keep the coarse buckets only.
          drop(
            'apiserver_request_body_size_bytes_bucket;(150000|350000|550000|650000|850000|950000|(1\\.15|1\\.35|1\\.55|1\\.65|1\\.85|1\\.95|2\\.15|2\\.35|2\\.55|2\\.65|2\\.85|2\\.95)e\\+06)',
            ['__name__', 'le'],
          ),
        ],
      },
    ]);
  }

  private monitor(name: string, service: ExternalService, props: KubernetesMonitorsProps, jobLabel: string, endpoints: ServiceMonitorSpecEndpoints[]): void {
    for (const e of endpoints) {
      if (!service.ports.some((p) => p.name === e.port)) {
        throw new Error(`ServiceMonitor ${name}: Service ${service.namespace}/${service.name} has no port "${e.port}"`);
      }
    }
    new ServiceMonitor(this, name, {
      // Versioned with Prometheus: the scrape settings follow what the pinned Prometheus reads.
      metadata: { name, namespace: props.namespace, labels: standardLabels({ name, instance: name, component: 'kubernetes-monitor', image: 'prometheus' }) },
      spec: {
        jobLabel,
        namespaceSelector: { matchNames: [service.namespace] },
        selector: { matchLabels: { ...service.labels } },
        endpoints,
      },
    });
  }
}
