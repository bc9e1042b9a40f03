import { Construct } from 'constructs';
import {
  ServiceMonitor,
  ServiceMonitorSpecEndpoints,
  ServiceMonitorSpecEndpointsMetricRelabelingsAction,
  ServiceMonitorSpecEndpointsRelabelingsAction,
  ServiceMonitorSpecEndpointsScheme,
} from '../../imports/monitoring.coreos.com';
import { ServiceRef } from './endpoints';
import { Labels } from './labels';
import { StackWiring } from './wiring';

export interface MonitorEndpoint {
  /** Port name on the Service. */
  readonly port: string;
  /** @default '/metrics' */
  readonly path?: string;
  /** @default - Prometheus' scrapeInterval */
  readonly interval?: string;
  /** Keep the target's own labels on conflict (exporters that describe other objects). @default false */
  readonly honorLabels?: boolean;
  /** Metric names (an RE2 regex) dropped at scrape, for series another exporter already provides. @default - none */
  readonly dropMetrics?: string;
}

export interface ServiceMonitorProps {
  readonly service: ServiceRef;
  readonly endpoints: readonly MonitorEndpoint[];
  readonly labels: Labels;
  readonly wiring: StackWiring;
  /** Set when the pods run on the host network (NetworkPolicy does not apply to them). @default false */
  readonly hostNetwork?: boolean;
  /** Label on the Service whose value becomes the `job` label. @default - the Service name */
  readonly jobLabel?: string;
  /**
   * Labels set to the name of the node the target runs on: for per-node exporters, `instance`
   * (instead of `ip:port`, so series survive a node IP change and join kube-state-metrics' `node`),
   * and whatever label names their consumers group nodes by. @default - none
   */
  readonly nodeNameLabels?: readonly string[];
}

/**
 * A ServiceMonitor for a Service this stack renders: it selects the Service by its own labels in
 * its own namespace, names ports the Service has, and records the scrape in the stack's wiring so
 * that the NetworkPolicies let Prometheus in.
 */
export function monitorService(scope: Construct, id: string, props: ServiceMonitorProps): ServiceMonitor {
  const { service } = props;
  const endpoints: ServiceMonitorSpecEndpoints[] = props.endpoints.map((e) => {
    service.endpoint(e.port); // throws when the Service has no such port
    return {
      port: e.port,
      path: e.path ?? '/metrics',
      scheme: ServiceMonitorSpecEndpointsScheme.HTTP,
      ...(e.interval ? { interval: e.interval } : {}),
      ...(e.honorLabels ? { honorLabels: true } : {}),
      ...(e.dropMetrics
        ? { metricRelabelings: [{ sourceLabels: ['__name__'], regex: e.dropMetrics, action: ServiceMonitorSpecEndpointsMetricRelabelingsAction.DROP }] }
        : {}),
      ...(props.nodeNameLabels?.length
        ? {
            relabelings: props.nodeNameLabels.map((targetLabel) => ({
              sourceLabels: ['__meta_kubernetes_pod_node_name'],
              targetLabel,
              action: ServiceMonitorSpecEndpointsRelabelingsAction.REPLACE,
            })),
          }
        : {}),
    };
  });
  props.wiring.addScrapeTarget({
    pods: service.pods,
    ports: props.endpoints.map((e) => service.endpoint(e.port).targetPort),
    hostNetwork: props.hostNetwork ?? false,
  });
  return new ServiceMonitor(scope, id, {
    metadata: { name: service.name, namespace: service.namespace, labels: props.labels },
    spec: {
      ...(props.jobLabel ? { jobLabel: props.jobLabel } : {}),
      selector: { matchLabels: service.selectorLabels },
      namespaceSelector: { matchNames: [service.namespace] },
      endpoints,
    },
  });
}
