import { Construct } from 'constructs';
import { RemoteWriteTarget } from '../lib/common/endpoints';
import { StackWiring } from '../lib/common/wiring';
import { ResolvedStackConfig } from '../lib/config/stack-config';
import { KubeStateMetrics } from '../lib/kube-state-metrics/kube-state-metrics';
import { KubernetesMonitors } from '../lib/kubernetes-monitors/kubernetes-monitors';
import { NodeExporter } from '../lib/node-exporter/node-exporter';
import { OPENCOST_KSM_LABELS } from '../lib/opencost/opencost';
import { Prometheus } from '../lib/prometheus/prometheus';
import { StackChart } from './stack-chart';

export interface MetricsCollectionChartProps {
  readonly config: ResolvedStackConfig;
  readonly wiring: StackWiring;
  /** The long-term metrics store Prometheus writes every sample to. */
  readonly remoteWrite: RemoteWriteTarget;
}

/** Prometheus and what it scrapes out of the box: the cluster, its nodes and its objects. */
export class MetricsCollectionChart extends StackChart {
  readonly prometheus: Prometheus;

  constructor(scope: Construct, id: string, props: MetricsCollectionChartProps) {
    super(scope, id, { file: '30-metrics-collection.yaml' });
    const { config, wiring } = props;
    this.prometheus = new Prometheus(this, 'prometheus', {
      namespace: config.namespace,
      wiring,
      clusterName: config.clusterName,
      highAvailability: config.highAvailability,
      remoteWrite: props.remoteWrite,
      ...config.prometheus,
    });
    new KubeStateMetrics(this, 'kube-state-metrics', {
      namespace: config.namespace,
      wiring,
      resources: config.kubeStateMetrics.resources,
      metricLabelsAllowlist: config.opencost.enabled ? OPENCOST_KSM_LABELS : undefined,
    });
    new NodeExporter(this, 'node-exporter', {
      namespace: config.nodeAgentNamespace,
      wiring,
      resources: config.nodeExporter.resources,
    });
    new KubernetesMonitors(this, 'kubernetes', { namespace: config.namespace });
  }
}
