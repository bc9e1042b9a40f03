import { componentDashboard, quantileOf, rateOf, scopeFilter, singleStat, StackDashboard, timeSeries, WorkloadScope } from './kit';

/**
 * The collectors: what each pipeline delivers to the backends and what it drops, component
 * health, and the collector cluster. Covers both the node agents and the clustered collector.
 */
export function alloyDashboard(scope: WorkloadScope): StackDashboard {
  const f = scopeFilter(scope);
  return componentDashboard({
    uid: 'stack-alloy',
    title: 'Observability stack / Alloy',
    description: 'Logs, metrics, traces and profiles delivered and dropped by the collectors, component health and clustering.',
    tags: ['alloy', 'collector'],
    clusterMetric: 'alloy_build_info',
    scope,
    overview: [
      singleStat({ title: 'Unhealthy components', description: 'Components across all collectors that are not healthy.', queries: [{ expr: `sum(alloy_component_controller_running_components{${f}, health_type!="healthy"}) or vector(0)` }], unit: 'short', span: 4 }),
      singleStat({ title: 'Config loaded', description: '1 when every collector\'s last configuration load succeeded.', queries: [{ expr: `min(alloy_config_last_load_successful{${f}})` }], unit: 'bool_yes_no', span: 4 }),
      singleStat({ title: 'Log lines sent', description: 'Log lines per second delivered to Loki.', queries: [{ expr: rateOf('loki_write_sent_entries_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Samples sent', description: 'Samples per second delivered to Mimir.', queries: [{ expr: rateOf('prometheus_remote_storage_samples_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Spans accepted', description: 'Spans per second the OTLP, Jaeger and Zipkin receivers accepted.', queries: [{ expr: rateOf('otelcol_receiver_accepted_spans_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Profiles sent', description: 'Profiles per second delivered to Pyroscope.', queries: [{ expr: rateOf('pyroscope_write_sent_profiles_total', f) }], unit: 'short', span: 4 }),
    ],
    sections: [
      {
        title: 'Delivery',
        panels: [
          timeSeries({
            title: 'Logs',
            description: 'Log lines per second sent to Loki, and dropped by reason (rate limited, stream limited, line too long, queue full).',
            queries: [
              { expr: rateOf('loki_write_sent_entries_total', f, 'tenant'), legend: '{{tenant}} sent' },
              { expr: rateOf('loki_write_dropped_entries_total', f, 'reason'), legend: 'dropped: {{reason}}' },
            ],
            unit: 'short',
            min: 0,
            span: 12,
          }),
          timeSeries({
            title: 'Metrics',
            description: 'Samples per second sent to Mimir, failed, retried and dropped.',
            queries: [
              { expr: rateOf('prometheus_remote_storage_samples_total', f), legend: 'sent' },
              { expr: rateOf('prometheus_remote_storage_samples_failed_total', f), legend: 'failed' },
              { expr: rateOf('prometheus_remote_storage_samples_retried_total', f), legend: 'retried' },
              { expr: rateOf('prometheus_remote_storage_samples_dropped_total', f, 'reason'), legend: 'dropped: {{reason}}' },
            ],
            unit: 'short',
            min: 0,
            span: 12,
          }),
          timeSeries({
            title: 'Traces',
            description: 'Spans per second accepted and refused by each receiver, and spans exporters failed to send.',
            queries: [
              { expr: rateOf('otelcol_receiver_accepted_spans_total', f, 'receiver'), legend: '{{receiver}} accepted' },
              { expr: rateOf('otelcol_receiver_refused_spans_total', f, 'receiver'), legend: '{{receiver}} refused' },
              { expr: rateOf('otelcol_exporter_send_failed_spans_total', f, 'exporter'), legend: '{{exporter}} send failed' },
            ],
            unit: 'short',
            min: 0,
            span: 12,
          }),
          timeSeries({
            title: 'Profiles',
            description: 'Profiles per second sent to Pyroscope and dropped.',
            queries: [
              { expr: rateOf('pyroscope_write_sent_profiles_total', f), legend: 'sent' },
              { expr: rateOf('pyroscope_write_dropped_profiles_total', f), legend: 'dropped' },
            ],
            unit: 'short',
            min: 0,
            span: 12,
          }),
        ],
      },
      {
        title: 'Runtime and clustering',
        panels: [
          timeSeries({ title: 'Components by health', description: 'Components by health across the collectors.', queries: [{ expr: `sum by (health_type) (alloy_component_controller_running_components{${f}})`, legend: '{{health_type}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({ title: 'Evaluation p99', description: '99th percentile of component evaluation time: slow evaluations delay every pipeline.', queries: [{ expr: quantileOf(0.99, 'alloy_component_evaluation_seconds', f, 'pod'), legend: '{{pod}}' }], unit: 's', min: 0, span: 8 }),
          timeSeries({ title: 'Cluster peers', description: 'Peers each collector of the cluster sees, by state: all replicas should agree.', queries: [{ expr: `sum by (pod, state) (cluster_node_peers{${f}})`, legend: '{{pod}} {{state}}' }], unit: 'short', min: 0, span: 8 }),
        ],
      },
    ],
  });
}
