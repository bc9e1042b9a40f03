import { CLUSTER_FILTER, finish, FOLDERS, labelVariable, row, singleStat, StackDashboard, stackDashboard, timeSeries } from './kit';

/** The job node-exporter's ServiceMonitor gives its series (the Service name). */
const NODE_EXPORTER_JOB = 'node-exporter';

/**
 * Node health from node-exporter: CPU, memory, pressure, disks, filesystems and network. Series
 * are keyed by node name (`instance`), which the ServiceMonitor sets from the pod's node.
 */
export function kubernetesNodes(): StackDashboard {
  const job = `${CLUSTER_FILTER}, job="${NODE_EXPORTER_JOB}"`;
  const nodes = `${job}, instance=~"$node"`;
  // Pseudo and read-only filesystems fill by design; only real, writable disks matter.
  // Physical interfaces: loopback and the CNI's per-pod and overlay devices are left out.
  const interfaces = `${nodes}, device!~"lo|veth.*|cali.*|cilium.*|flannel.*|cni.*|lxc.*"`;
  const filesystems = `${nodes}, fstype!~"tmpfs|overlay|squashfs|ramfs|nsfs|erofs", mountpoint!~"/run.*|/var/lib/kubelet/.*"`;

  const dashboard = stackDashboard({
    uid: 'k8s-nodes',
    title: 'Kubernetes / Nodes',
    description: 'Per-node CPU, memory, pressure, disks, filesystems and network, from node-exporter.',
    tags: ['kubernetes', 'node'],
    clusterMetric: 'node_uname_info',
  })
    .withVariable(labelVariable({ name: 'node', label: 'Node', metric: 'node_uname_info', labelName: 'instance', filter: job }))
    .withRow(row('Overview'))
    .withPanel(
      singleStat({
        title: 'Nodes',
        description: 'Nodes whose node-exporter answers.',
        queries: [{ expr: `count(node_uname_info{${nodes}})` }],
        unit: 'short',
      }),
    )
    .withPanel(
      singleStat({
        title: 'CPU busy',
        description: 'Share of CPU time not idle, across the selected nodes.',
        queries: [{ expr: `1 - avg(rate(node_cpu_seconds_total{${nodes}, mode="idle"}[$__rate_interval]))` }],
        unit: 'percentunit',
      }),
    )
    .withPanel(
      singleStat({
        title: 'Memory in use',
        description: 'Share of memory not available to new work, across the selected nodes.',
        queries: [{ expr: `1 - sum(node_memory_MemAvailable_bytes{${nodes}}) / sum(node_memory_MemTotal_bytes{${nodes}})` }],
        unit: 'percentunit',
      }),
    )
    .withPanel(
      singleStat({
        title: 'Fullest filesystem',
        description: 'The highest share of space used on any real filesystem of the selected nodes.',
        queries: [{ expr: `max(1 - node_filesystem_avail_bytes{${filesystems}} / node_filesystem_size_bytes{${filesystems}})` }],
        unit: 'percentunit',
      }),
    )
    .withRow(row('CPU and memory'))
    .withPanel(
      timeSeries({
        title: 'CPU busy by node',
        description: 'Share of CPU time each node spends not idle.',
        queries: [{ expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${nodes}, mode="idle"}[$__rate_interval]))`, legend: '{{instance}}' }],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Load per core',
        description: 'One-minute load average divided by the number of cores: above 1, work waits for CPU.',
        queries: [
          {
            expr: `node_load1{${nodes}} / on (instance) group_left () count by (instance) (node_cpu_seconds_total{${nodes}, mode="idle"})`,
            legend: '{{instance}}',
          },
        ],
        unit: 'short',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory in use by node',
        description: 'Share of each node\'s memory not available to new work (MemAvailable).',
        queries: [{ expr: `1 - node_memory_MemAvailable_bytes{${nodes}} / node_memory_MemTotal_bytes{${nodes}}`, legend: '{{instance}}' }],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'CPU pressure',
        description: 'Share of time some task waited for CPU (pressure stall information).',
        queries: [{ expr: `rate(node_pressure_cpu_waiting_seconds_total{${nodes}}[$__rate_interval])`, legend: '{{instance}}' }],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory pressure',
        description: 'Share of time some task stalled waiting for memory (pressure stall information).',
        queries: [{ expr: `rate(node_pressure_memory_waiting_seconds_total{${nodes}}[$__rate_interval])`, legend: '{{instance}}' }],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'IO pressure',
        description: 'Share of time some task stalled waiting for IO (pressure stall information).',
        queries: [{ expr: `rate(node_pressure_io_waiting_seconds_total{${nodes}}[$__rate_interval])`, legend: '{{instance}}' }],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withRow(row('Disks and filesystems'))
    .withPanel(
      timeSeries({
        title: 'Filesystem space used',
        description: 'Share of space used on each real filesystem.',
        queries: [
          {
            expr: `1 - node_filesystem_avail_bytes{${filesystems}} / node_filesystem_size_bytes{${filesystems}}`,
            legend: '{{instance}} {{mountpoint}}',
          },
        ],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Disk utilisation',
        description: 'Share of time each disk was busy with IO.',
        queries: [{ expr: `rate(node_disk_io_time_seconds_total{${nodes}}[$__rate_interval])`, legend: '{{instance}} {{device}}' }],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Disk throughput',
        description: 'Bytes read (negative) and written per second, per disk.',
        queries: [
          { expr: `-rate(node_disk_read_bytes_total{${nodes}}[$__rate_interval])`, legend: '{{instance}} {{device}} read' },
          { expr: `rate(node_disk_written_bytes_total{${nodes}}[$__rate_interval])`, legend: '{{instance}} {{device}} written' },
        ],
        unit: 'Bps',
        span: 8,
      }),
    )
    .withRow(row('Network'))
    .withPanel(
      timeSeries({
        title: 'Network traffic',
        description: 'Bytes received (negative) and sent per second, per physical interface.',
        queries: [
          { expr: `-rate(node_network_receive_bytes_total{${interfaces}}[$__rate_interval])`, legend: '{{instance}} {{device}} in' },
          { expr: `rate(node_network_transmit_bytes_total{${interfaces}}[$__rate_interval])`, legend: '{{instance}} {{device}} out' },
        ],
        unit: 'Bps',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Network errors and drops',
        description: 'Packets per second received or sent in error, or dropped, per interface.',
        queries: [
          { expr: `sum by (instance, device) (rate(node_network_receive_errs_total{${nodes}}[$__rate_interval]) + rate(node_network_transmit_errs_total{${nodes}}[$__rate_interval])) > 0`, legend: '{{instance}} {{device}} errors' },
          { expr: `sum by (instance, device) (rate(node_network_receive_drop_total{${nodes}}[$__rate_interval]) + rate(node_network_transmit_drop_total{${nodes}}[$__rate_interval])) > 0`, legend: '{{instance}} {{device}} drops' },
        ],
        unit: 'pps',
      }),
    );
  return finish(FOLDERS.kubernetes, dashboard);
}
