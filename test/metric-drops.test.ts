import { allManifests } from './support/manifests';

/**
 * Series that the dashboards, alerts and cost reports of the stack rely on, with the labels a
 * real sample carries. Each must survive every metric relabeling `drop` rule of every monitor.
 */
const ESSENTIAL: readonly Record<string, string>[] = [
  { __name__: 'container_cpu_usage_seconds_total', pod: 'p', namespace: 'n', container: 'c' },
  { __name__: 'container_memory_working_set_bytes', pod: 'p', namespace: 'n', container: 'c' },
  { __name__: 'container_memory_rss', pod: 'p', namespace: 'n', container: 'c' },
  { __name__: 'container_cpu_cfs_throttled_periods_total', pod: 'p', namespace: 'n', container: 'c' },
  { __name__: 'container_network_receive_bytes_total', pod: 'p', namespace: 'n' },
  { __name__: 'container_network_transmit_bytes_total', pod: 'p', namespace: 'n' },
  { __name__: 'container_fs_usage_bytes', pod: 'p', namespace: 'n', container: 'c' },
  { __name__: 'kubelet_volume_stats_used_bytes', namespace: 'n', persistentvolumeclaim: 'data' },
  { __name__: 'kubelet_volume_stats_capacity_bytes', namespace: 'n', persistentvolumeclaim: 'data' },
  { __name__: 'kubelet_running_pods' },
  { __name__: 'apiserver_request_total', verb: 'GET', code: '200' },
  { __name__: 'apiserver_request_duration_seconds_bucket', le: '1' },
  { __name__: 'apiserver_request_duration_seconds_bucket', le: '5' },
  { __name__: 'apiserver_request_duration_seconds_bucket', le: '+Inf' },
  { __name__: 'apiserver_request_duration_seconds_count' },
];

interface Rule {
  readonly action?: string;
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
}

function dropped(series: Record<string, string>, rule: Rule): boolean {
  if ((rule.action ?? 'replace') !== 'drop') return false;
  const value = (rule.sourceLabels ?? []).map((l) => series[l] ?? '').join(rule.separator ?? ';');
  return new RegExp(`^(?:${rule.regex ?? '(.*)'})$`).test(value);
}

const rules = allManifests()
  .filter((m) => m.object.kind === 'ServiceMonitor' || m.object.kind === 'PodMonitor')
  .flatMap((m) => (m.object.spec.endpoints ?? m.object.spec.podMetricsEndpoints ?? []).flatMap((e: any) => (e.metricRelabelings ?? []).map((r: Rule) => ({ monitor: m.object.metadata.name, rule: r }))));

test('there are drop rules to check', () => {
  expect(rules.some(({ rule }) => rule.action === 'drop')).toBe(true);
});

test.each(ESSENTIAL.map((s) => [JSON.stringify(s), s] as const))('%s survives every drop rule', (_, series) => {
  const droppedBy = rules.filter(({ rule }) => dropped(series, rule)).map(({ monitor, rule }) => `${monitor}: ${rule.regex}`);
  expect(droppedBy).toEqual([]);
});

test('the drop rules do drop what they are meant to (the check can fail)', () => {
  const expensive = { __name__: 'container_tasks_state', pod: 'p', namespace: 'n' };
  expect(rules.some(({ rule }) => dropped(expensive, rule))).toBe(true);
  const fineBucket = { __name__: 'apiserver_request_duration_seconds_bucket', le: '0.15' };
  expect(rules.some(({ rule }) => dropped(fineBucket, rule))).toBe(true);
});
