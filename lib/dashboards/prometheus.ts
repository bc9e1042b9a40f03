import { CLUSTER_FILTER, componentDashboard, scopeFilter, singleStat, StackDashboard, timeSeries, WorkloadScope } from './kit';

/** Scraping, remote write to the metrics store, the TSDB head, rules and notifications. */
export function prometheusDashboard(scope: WorkloadScope): StackDashboard {
  const self = scopeFilter(scope);
  const targets = CLUSTER_FILTER;
  const rate = (metric: string, by = 'pod') => `sum by (${by}) (rate(${metric}{${self}}[$__rate_interval]))`;
  const lag = `prometheus_remote_storage_queue_highest_timestamp_seconds{${self}} - prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${self}}`;

  return componentDashboard({
    uid: 'stack-prometheus',
    title: 'Observability stack / Prometheus',
    description: 'Scrape health, remote write to the metrics store, TSDB head, rule evaluation and alert notifications.',
    tags: ['prometheus'],
    clusterMetric: 'prometheus_build_info',
    scope,
    overview: [
      singleStat({
        title: 'Targets up',
        description: 'Share of scrape targets whose last scrape succeeded.',
        queries: [{ expr: `sum(up{${targets}}) / count(up{${targets}})` }],
        unit: 'percentunit',
        span: 4,
      }),
      singleStat({
        title: 'Series in head',
        description: 'Active series in memory, per replica (the largest).',
        queries: [{ expr: `max(prometheus_tsdb_head_series{${self}})` }],
        unit: 'short',
        span: 4,
      }),
      singleStat({
        title: 'Samples appended',
        description: 'Samples per second written to the head, per replica (the largest).',
        queries: [{ expr: `max(${rate('prometheus_tsdb_head_samples_appended_total')})` }],
        unit: 'short',
        span: 4,
      }),
      singleStat({
        title: 'Remote write lag',
        description: 'How far the newest sample sent to the metrics store trails the newest sample queued.',
        queries: [{ expr: `max(${lag})` }],
        unit: 's',
        span: 4,
      }),
      singleStat({
        title: 'Config reloaded',
        description: '1 when every replica\'s last configuration reload succeeded.',
        queries: [{ expr: `min(prometheus_config_last_reload_successful{${self}})` }],
        unit: 'bool_yes_no',
        span: 4,
      }),
      singleStat({
        title: 'Rule evaluation failures',
        description: 'Failed rule evaluations per second.',
        queries: [{ expr: `sum(rate(prometheus_rule_evaluation_failures_total{${self}}[$__rate_interval]))` }],
        unit: 'short',
        span: 4,
      }),
    ],
    sections: [
      {
        title: 'Scraping',
        panels: [
          timeSeries({
            title: 'Targets down by job',
            description: 'Targets whose last scrape failed, per job.',
            queries: [{ expr: `count by (job) (up{${targets}} == 0)`, legend: '{{job}}' }],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Slowest scrape by job',
            description: 'Longest scrape duration of each job: close to the scrape timeout means samples are about to be lost.',
            queries: [{ expr: `max by (job) (scrape_duration_seconds{${targets}})`, legend: '{{job}}' }],
            unit: 's',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Samples kept per scrape, by job',
            description: 'Samples each job yields per scrape after metric relabelling: what drives series count.',
            queries: [{ expr: `sum by (job) (scrape_samples_post_metric_relabeling{${targets}})`, legend: '{{job}}' }],
            unit: 'short',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'Remote write',
        panels: [
          timeSeries({
            title: 'Samples sent',
            description: 'Samples per second sent to the metrics store, with failures, retries and drops.',
            queries: [
              { expr: rate('prometheus_remote_storage_samples_total'), legend: '{{pod}} sent' },
              { expr: rate('prometheus_remote_storage_samples_failed_total'), legend: '{{pod}} failed' },
              { expr: rate('prometheus_remote_storage_samples_retried_total'), legend: '{{pod}} retried' },
              { expr: rate('prometheus_remote_storage_samples_dropped_total'), legend: '{{pod}} dropped' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Lag behind the metrics store',
            description: 'Seconds between the newest sample queued and the newest sent, per replica.',
            queries: [{ expr: `max by (pod) (${lag})`, legend: '{{pod}}' }],
            unit: 's',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Shards',
            description: 'Parallel senders in use, wanted and allowed: desired above max means the queue cannot keep up.',
            queries: [
              { expr: `max by (pod) (prometheus_remote_storage_shards{${self}})`, legend: '{{pod}} running' },
              { expr: `max by (pod) (prometheus_remote_storage_shards_desired{${self}})`, legend: '{{pod}} desired' },
              { expr: `max by (pod) (prometheus_remote_storage_shards_max{${self}})`, legend: '{{pod}} max' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'TSDB',
        panels: [
          timeSeries({
            title: 'Series in head',
            description: 'Active series in memory per replica: the main driver of memory use.',
            queries: [{ expr: `max by (pod) (prometheus_tsdb_head_series{${self}})`, legend: '{{pod}}' }],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Storage problems',
            description: 'Failed compactions, failed block reloads, failed head truncations and WAL corruptions per second.',
            queries: [
              { expr: rate('prometheus_tsdb_compactions_failed_total'), legend: '{{pod}} compactions failed' },
              { expr: rate('prometheus_tsdb_reloads_failures_total'), legend: '{{pod}} reloads failed' },
              { expr: rate('prometheus_tsdb_head_truncations_failed_total'), legend: '{{pod}} truncations failed' },
              { expr: rate('prometheus_tsdb_wal_corruptions_total'), legend: '{{pod}} WAL corruptions' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Block storage',
            description: 'Bytes of persisted blocks on each replica\'s volume.',
            queries: [{ expr: `max by (pod) (prometheus_tsdb_storage_blocks_bytes{${self}})`, legend: '{{pod}}' }],
            unit: 'bytes',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'Rules and notifications',
        panels: [
          timeSeries({
            title: 'Rule group duration over interval',
            description: 'Time a rule group takes to evaluate as a share of its interval: above 1, evaluations are skipped.',
            queries: [
              {
                expr: `max by (rule_group) (prometheus_rule_group_last_duration_seconds{${self}} / prometheus_rule_group_interval_seconds{${self}})`,
                legend: '{{rule_group}}',
              },
            ],
            unit: 'percentunit',
            min: 0,
          }),
          timeSeries({
            title: 'Alert notifications',
            description: 'Notifications per second sent to, failed for and dropped before Alertmanager.',
            queries: [
              { expr: rate('prometheus_notifications_sent_total', 'alertmanager'), legend: '{{alertmanager}} sent' },
              { expr: rate('prometheus_notifications_errors_total', 'alertmanager'), legend: '{{alertmanager}} errors' },
              { expr: `sum(rate(prometheus_notifications_dropped_total{${self}}[$__rate_interval]))`, legend: 'dropped' },
            ],
            unit: 'short',
            min: 0,
          }),
        ],
      },
    ],
  });
}
