import { componentDashboard, quantileOf, rateOf, scopeFilter, singleStat, StackDashboard, timeSeries, WorkloadScope } from './kit';

/** Grafana itself: HTTP traffic, datasource calls, its database pool, alerting and usage. */
export function grafanaDashboard(scope: WorkloadScope): StackDashboard {
  const f = scopeFilter(scope);
  return componentDashboard({
    uid: 'stack-grafana',
    title: 'Observability stack / Grafana',
    description: 'Grafana\'s HTTP traffic and latency, datasource requests, database pool, alert rule evaluation and usage.',
    tags: ['grafana'],
    clusterMetric: 'grafana_build_info',
    scope,
    overview: [
      singleStat({ title: 'Active users', description: 'Users active in the last 30 days.', queries: [{ expr: `max(grafana_stat_active_users{${f}})` }], unit: 'short' }),
      singleStat({ title: 'Dashboards', description: 'Dashboards stored, provisioned ones included.', queries: [{ expr: `max(grafana_stat_totals_dashboard{${f}})` }], unit: 'short' }),
      singleStat({ title: 'HTTP 5xx', description: 'Share of HTTP requests answered with a server error.', queries: [{ expr: `${rateOf('grafana_http_request_duration_seconds_count', `${f}, status_code=~"5.."`)} / ${rateOf('grafana_http_request_duration_seconds_count', f)}` }], unit: 'percentunit' }),
      singleStat({ title: 'Alerting behind', description: 'How far the alert rule scheduler runs behind schedule.', queries: [{ expr: `max(grafana_alerting_scheduler_behind_seconds{${f}})` }], unit: 's' }),
    ],
    sections: [
      {
        title: 'Traffic',
        panels: [
          timeSeries({ title: 'Requests by handler', description: 'HTTP requests per second, by handler.', queries: [{ expr: rateOf('grafana_http_request_duration_seconds_count', f, 'handler'), legend: '{{handler}}' }], unit: 'reqps', min: 0, span: 8 }),
          timeSeries({ title: 'p99 latency by handler', description: '99th percentile of HTTP request duration, by handler.', queries: [{ expr: quantileOf(0.99, 'grafana_http_request_duration_seconds', f, 'handler'), legend: '{{handler}}' }], unit: 's', min: 0, span: 8 }),
          timeSeries({
            title: 'Datasource requests',
            description: 'Requests per second to each datasource by response code, and their 99th percentile latency.',
            queries: [
              { expr: rateOf('grafana_datasource_request_total', f, 'datasource, code'), legend: '{{datasource}} {{code}}' },
              { expr: quantileOf(0.99, 'grafana_datasource_request_duration_seconds', f, 'datasource'), legend: '{{datasource}} p99 (s)' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'Database and alerting',
        panels: [
          timeSeries({
            title: 'Database connections',
            description: 'Connections open and in use against the maximum, and waits per second for a free connection.',
            queries: [
              { expr: `max(grafana_database_conn_open{${f}})`, legend: 'open' },
              { expr: `max(grafana_database_conn_in_use{${f}})`, legend: 'in use' },
              { expr: `max(grafana_database_conn_max_open{${f}})`, legend: 'max' },
              { expr: rateOf('grafana_database_conn_wait_count_total', f), legend: 'waits' },
            ],
            unit: 'short',
            min: 0,
          }),
          timeSeries({
            title: 'Alert rules',
            description: 'Alert rule evaluations and failures per second, and alerts by state.',
            queries: [
              { expr: rateOf('grafana_alerting_rule_evaluations_total', f), legend: 'evaluations' },
              { expr: rateOf('grafana_alerting_rule_evaluation_failures_total', f), legend: 'failures' },
              { expr: `max by (state) (grafana_alerting_alerts{${f}})`, legend: 'alerts {{state}}' },
            ],
            unit: 'short',
            min: 0,
          }),
        ],
      },
    ],
  });
}
