import { activeRequests, CLUSTER_FILTER, finish, FOLDERS, labelVariable, row, StackDashboard, stackDashboard, timeSeries } from './kit';

/**
 * CPU, memory, network and volumes from the cluster down to the pod: usage from the kubelet's
 * cAdvisor endpoint, requests and capacity from kube-state-metrics.
 */
export function kubernetesResources(): StackDashboard {
  const cluster = CLUSTER_FILTER;
  const namespaces = `${cluster}, namespace=~"$namespace"`;
  const pods = `${namespaces}, pod=~"$pod"`;
  // Containers only: the kubelet also reports the pod's own cgroup, without a container name.
  const containersOf = (filter: string) => `${filter}, container!="", container!="POD"`;
  const cpuUsage = (filter: string, by: string) =>
    `sum by (${by}) (rate(container_cpu_usage_seconds_total{${containersOf(filter)}}[$__rate_interval]))`;
  const memoryUsage = (filter: string, by: string) => `sum by (${by}) (container_memory_working_set_bytes{${containersOf(filter)}})`;

  const dashboard = stackDashboard({
    uid: 'k8s-resources',
    title: 'Kubernetes / Resources',
    description: 'CPU, memory, network and volume usage against requests and capacity: cluster, namespaces, pods.',
    tags: ['kubernetes'],
    clusterMetric: 'kube_node_info',
  })
    .withVariable(labelVariable({ name: 'namespace', label: 'Namespace', metric: 'kube_pod_info', labelName: 'namespace', filter: cluster }))
    .withVariable(labelVariable({ name: 'pod', label: 'Pod', metric: 'kube_pod_info', labelName: 'pod', filter: namespaces }))
    .withRow(row('Cluster'))
    .withPanel(
      timeSeries({
        title: 'CPU: used, requested, allocatable',
        description: 'Cores in use across the cluster, cores requested by pods, and cores the nodes offer to pods.',
        queries: [
          { expr: `sum(rate(container_cpu_usage_seconds_total{${containersOf(cluster)}}[$__rate_interval]))`, legend: 'used' },
          { expr: activeRequests(cluster, 'cpu'), legend: 'requested' },
          { expr: `sum(kube_node_status_allocatable{${cluster}, resource="cpu"})`, legend: 'allocatable' },
        ],
        unit: 'short',
        min: 0,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory: used, requested, allocatable',
        description: 'Working set across the cluster, memory requested by pods, and memory the nodes offer to pods.',
        queries: [
          { expr: `sum(container_memory_working_set_bytes{${containersOf(cluster)}})`, legend: 'used' },
          { expr: activeRequests(cluster, 'memory'), legend: 'requested' },
          { expr: `sum(kube_node_status_allocatable{${cluster}, resource="memory"})`, legend: 'allocatable' },
        ],
        unit: 'bytes',
        min: 0,
      }),
    )
    .withRow(row('Namespaces'))
    .withPanel(
      timeSeries({
        title: 'CPU by namespace',
        description: 'Cores used per namespace, against what the namespace requested.',
        queries: [
          { expr: cpuUsage(namespaces, 'namespace'), legend: '{{namespace}}' },
          { expr: activeRequests(namespaces, 'cpu', 'namespace'), legend: '{{namespace}} requested' },
        ],
        unit: 'short',
        min: 0,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory by namespace',
        description: 'Working set per namespace, against what the namespace requested.',
        queries: [
          { expr: memoryUsage(namespaces, 'namespace'), legend: '{{namespace}}' },
          { expr: activeRequests(namespaces, 'memory', 'namespace'), legend: '{{namespace}} requested' },
        ],
        unit: 'bytes',
        min: 0,
      }),
    )
    .withRow(row('Pods'))
    .withPanel(
      timeSeries({
        title: 'CPU by pod',
        description: 'Cores used by each selected pod.',
        queries: [{ expr: cpuUsage(pods, 'namespace, pod'), legend: '{{namespace}}/{{pod}}' }],
        unit: 'short',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory by pod',
        description: 'Working set of each selected pod: the figure the kernel compares with the memory limit.',
        queries: [{ expr: memoryUsage(pods, 'namespace, pod'), legend: '{{namespace}}/{{pod}}' }],
        unit: 'bytes',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'CPU throttling by pod',
        description: 'Share of scheduling periods in which a pod hit its CPU limit; sustained throttling adds latency.',
        queries: [
          {
            expr:
              `sum by (namespace, pod) (increase(container_cpu_cfs_throttled_periods_total{${containersOf(pods)}}[$__rate_interval])) ` +
              `/ sum by (namespace, pod) (increase(container_cpu_cfs_periods_total{${containersOf(pods)}}[$__rate_interval]))`,
            legend: '{{namespace}}/{{pod}}',
          },
        ],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Network received by pod',
        description: 'Bytes per second received by each selected pod, all interfaces.',
        queries: [{ expr: `sum by (namespace, pod) (rate(container_network_receive_bytes_total{${pods}}[$__rate_interval]))`, legend: '{{namespace}}/{{pod}}' }],
        unit: 'Bps',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Network sent by pod',
        description: 'Bytes per second sent by each selected pod, all interfaces.',
        queries: [{ expr: `sum by (namespace, pod) (rate(container_network_transmit_bytes_total{${pods}}[$__rate_interval]))`, legend: '{{namespace}}/{{pod}}' }],
        unit: 'Bps',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'OOM kills by pod (1h)',
        description: 'Containers killed for exceeding their memory limit over the last hour.',
        queries: [{ expr: `sum by (namespace, pod) (increase(container_oom_events_total{${containersOf(pods)}}[1h])) > 0`, legend: '{{namespace}}/{{pod}}' }],
        unit: 'short',
        min: 0,
        span: 8,
      }),
    )
    .withRow(row('Volumes'))
    .withPanel(
      timeSeries({
        title: 'Volume usage',
        description: 'Share of each PersistentVolumeClaim in use, as the kubelet measures it on mounted volumes.',
        queries: [
          {
            expr: `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${namespaces}} / kubelet_volume_stats_capacity_bytes{${namespaces}})`,
            legend: '{{namespace}}/{{persistentvolumeclaim}}',
          },
        ],
        unit: 'percentunit',
        min: 0,
        span: 24,
      }),
    );
  return finish(FOLDERS.kubernetes, dashboard);
}
