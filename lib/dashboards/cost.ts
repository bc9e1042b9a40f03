import { CLUSTER_LABEL } from '../common/labels';
// OpenCost's month: hourly costs times this give the monthly run rate its own reports show.
import { HOURS_PER_MONTH } from '../opencost/opencost';
import { CLUSTER_FILTER, finish, FOLDERS, labelVariable, row, singleStat, StackDashboard, stackDashboard, timeSeries } from './kit';

const GIB = 1024 * 1024 * 1024;

/**
 * What the cluster costs, from OpenCost's prices and allocations: per namespace and per workload,
 * the idle share nobody requested, and how much of what is requested is used.
 */
export function costDashboard(currency: string): StackDashboard {
  // Grafana formats these three itself; any other code is shown after the figure.
  const unit = ['USD', 'EUR', 'GBP'].includes(currency) ? `currency${currency}` : `suffix: ${currency}`;
  const c = CLUSTER_FILTER;
  const ns = `${c}, namespace=~"$namespace"`;
  const onNode = `on (${CLUSTER_LABEL}, node) group_left () avg by (${CLUSTER_LABEL}, node)`;
  // Hourly cost of what pods hold, by the given labels: allocation (the larger of request and
  // usage, as OpenCost counts it) times the price of the node it runs on.
  const cpuCost = (by: string) => `sum by (${by}) (container_cpu_allocation{${ns}} * ${onNode} (node_cpu_hourly_cost{${c}}))`;
  const ramCost = (by: string) => `sum by (${by}) (container_memory_allocation_bytes{${ns}} / ${GIB} * ${onNode} (node_ram_hourly_cost{${c}}))`;
  const gpuCost = (by: string) => `sum by (${by}) (container_gpu_allocation{${ns}} * ${onNode} (node_gpu_hourly_cost{${c}}))`;
  const storageCost = (by: string) =>
    `sum by (${by}) (pod_pvc_allocation{${ns}} / ${GIB} * on (${CLUSTER_LABEL}, persistentvolume) group_left () avg by (${CLUSTER_LABEL}, persistentvolume) (pv_hourly_cost{${c}}))`;
  const allocated = (by: string) => `(${cpuCost(by)} + ${ramCost(by)})`;
  const monthly = (hourly: string) => `${HOURS_PER_MONTH} * ${hourly}`;
  const clusterTotal = `sum(max by (${CLUSTER_LABEL}, node) (node_total_hourly_cost{${c}}))`;
  const clusterAllocated =
    `(sum(container_cpu_allocation{${c}} * ${onNode} (node_cpu_hourly_cost{${c}})) + ` +
    `sum(container_memory_allocation_bytes{${c}} / ${GIB} * ${onNode} (node_ram_hourly_cost{${c}})))`;
  // Efficiency: what containers use over what they request.
  const efficiency = (used: string, resource: 'cpu' | 'memory') =>
    `${used} / sum by (namespace) (kube_pod_container_resource_requests{${ns}, resource="${resource}"})`;

  const dashboard = stackDashboard({
    uid: 'k8s-cost',
    title: 'Kubernetes / Cost',
    description: 'Monthly run rate per namespace and workload, idle capacity, and requests against use, from OpenCost.',
    tags: ['kubernetes', 'cost', 'opencost'],
    clusterMetric: 'node_total_hourly_cost',
  })
    .withVariable(labelVariable({ name: 'namespace', label: 'Namespace', metric: 'container_cpu_allocation', labelName: 'namespace', filter: c }))
    .withRow(row('Cluster'))
    .withPanel(singleStat({ title: 'Monthly run rate', description: 'What the nodes cost per month at the current rate.', queries: [{ expr: monthly(clusterTotal) }], unit }))
    .withPanel(singleStat({ title: 'Allocated', description: 'Share of the nodes\' CPU and memory cost that pods hold.', queries: [{ expr: `${clusterAllocated} / ${clusterTotal}` }], unit: 'percentunit' }))
    .withPanel(singleStat({ title: 'Idle per month', description: 'Monthly cost of node capacity no pod holds: the saving on offer from smaller or fewer nodes.', queries: [{ expr: monthly(`(${clusterTotal} - ${clusterAllocated})`) }], unit }))
    .withPanel(singleStat({ title: 'Storage per month', description: 'Monthly cost of the persistent volumes pods hold.', queries: [{ expr: monthly(`sum(${storageCost('namespace')})`) }], unit }))
    .withRow(row('Namespaces'))
    .withPanel(
      timeSeries({
        title: 'Monthly run rate by namespace',
        description: 'CPU and memory cost of each namespace, as a monthly rate.',
        queries: [{ expr: monthly(allocated('namespace')), legend: '{{namespace}}' }],
        unit,
        stacked: true,
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'CPU and memory cost by namespace',
        description: 'The two parts of each namespace\'s compute cost, as a monthly rate.',
        queries: [
          { expr: monthly(cpuCost('namespace')), legend: '{{namespace}} CPU' },
          { expr: monthly(ramCost('namespace')), legend: '{{namespace}} memory' },
        ],
        unit,
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'GPU and storage cost by namespace',
        description: 'GPU and persistent volume cost of each namespace, as a monthly rate.',
        queries: [
          { expr: monthly(gpuCost('namespace')), legend: '{{namespace}} GPU' },
          { expr: monthly(storageCost('namespace')), legend: '{{namespace}} storage' },
        ],
        unit,
        min: 0,
        span: 8,
      }),
    )
    .withRow(row('Workloads'))
    .withPanel(
      timeSeries({
        title: 'Most expensive workloads',
        description: 'The fifteen controllers (ReplicaSet, StatefulSet, DaemonSet, Job) whose pods cost most, as a monthly rate.',
        queries: [
          {
            expr: `topk(15, ${monthly(`sum by (namespace, owner_kind, owner_name) (${allocated('namespace, pod')} * on (${CLUSTER_LABEL}, namespace, pod) group_left (owner_kind, owner_name) kube_pod_owner{${ns}})`)})`,
            legend: '{{namespace}} {{owner_kind}}/{{owner_name}}',
          },
        ],
        unit,
        min: 0,
        span: 24,
      }),
    )
    .withRow(row('Efficiency'))
    .withPanel(
      timeSeries({
        title: 'CPU used over requested',
        description: 'Cores used as a share of cores requested, per namespace: far below 1, requests can shrink and cost with them.',
        queries: [
          {
            expr: efficiency(`sum by (namespace) (rate(container_cpu_usage_seconds_total{${ns}, container!="", container!="POD"}[$__rate_interval]))`, 'cpu'),
            legend: '{{namespace}}',
          },
        ],
        unit: 'percentunit',
        min: 0,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory used over requested',
        description: 'Working set as a share of memory requested, per namespace.',
        queries: [{ expr: efficiency(`sum by (namespace) (container_memory_working_set_bytes{${ns}, container!="", container!="POD"})`, 'memory'), legend: '{{namespace}}' }],
        unit: 'percentunit',
        min: 0,
      }),
    );
  return finish(FOLDERS.kubernetes, dashboard);
}
