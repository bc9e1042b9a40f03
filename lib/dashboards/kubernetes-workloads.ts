import { activeRequests, CLUSTER_FILTER, finish, FOLDERS, labelVariable, row, singleStat, StackDashboard, stackDashboard, timeSeries } from './kit';

/** Pods, rollouts and requests of every namespace, from kube-state-metrics alone. */
export function kubernetesWorkloads(): StackDashboard {
  const scope = `${CLUSTER_FILTER}, namespace=~"$namespace"`;
  const notReady = (desired: string, ready: string, owner: string) => ({
    expr: `(${desired}{${scope}} - ${ready}{${scope}}) > 0`,
    legend: `{{namespace}}/{{${owner}}}`,
  });

  const dashboard = stackDashboard({
    uid: 'k8s-workloads',
    title: 'Kubernetes / Workloads',
    description: 'Pod phases, restarts, rollouts and resource requests per namespace, from kube-state-metrics.',
    tags: ['kubernetes'],
    clusterMetric: 'kube_pod_info',
  })
    .withVariable(labelVariable({ name: 'namespace', label: 'Namespace', metric: 'kube_pod_info', labelName: 'namespace', filter: CLUSTER_FILTER }))
    .withRow(row('Overview'))
    .withPanel(
      singleStat({
        title: 'Running pods',
        description: 'Pods in phase Running.',
        queries: [{ expr: `sum(kube_pod_status_phase{${scope}, phase="Running"})` }],
        unit: 'short',
      }),
    )
    .withPanel(
      singleStat({
        title: 'Pending pods',
        description: 'Pods accepted but not yet running: unschedulable, pulling images or waiting for volumes.',
        queries: [{ expr: `sum(kube_pod_status_phase{${scope}, phase="Pending"})` }],
        unit: 'short',
      }),
    )
    .withPanel(
      singleStat({
        title: 'Failed pods',
        description: 'Pods whose containers all ended and at least one failed.',
        queries: [{ expr: `sum(kube_pod_status_phase{${scope}, phase="Failed"})` }],
        unit: 'short',
      }),
    )
    .withPanel(
      singleStat({
        title: 'Container restarts (1h)',
        description: 'Container restarts over the last hour.',
        queries: [{ expr: `sum(increase(kube_pod_container_status_restarts_total{${scope}}[1h]))` }],
        unit: 'short',
      }),
    )
    .withRow(row('Pods'))
    .withPanel(
      timeSeries({
        title: 'Pods by phase',
        description: 'How many pods are in each phase.',
        queries: [{ expr: `sum by (phase) (kube_pod_status_phase{${scope}})`, legend: '{{phase}}' }],
        unit: 'short',
        stacked: true,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Waiting containers by reason',
        description: 'Containers that cannot start, by reason: CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError...',
        queries: [{ expr: `sum by (namespace, reason) (kube_pod_container_status_waiting_reason{${scope}}) > 0`, legend: '{{namespace}}: {{reason}}' }],
        unit: 'short',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Most restarted pods (1h)',
        description: 'The ten pods whose containers restarted most over the last hour.',
        queries: [
          {
            expr: `topk(10, sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${scope}}[1h]))) > 0`,
            legend: '{{namespace}}/{{pod}}',
          },
        ],
        unit: 'short',
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Last termination reason',
        description: 'Why containers last ended, by reason: OOMKilled means a memory limit is too low.',
        queries: [{ expr: `sum by (namespace, reason) (kube_pod_container_status_last_terminated_reason{${scope}})`, legend: '{{namespace}}: {{reason}}' }],
        unit: 'short',
      }),
    )
    .withRow(row('Rollouts'))
    .withPanel(
      timeSeries({
        title: 'Deployments short of replicas',
        description: 'Desired minus available replicas, for Deployments that lack some.',
        queries: [notReady('kube_deployment_spec_replicas', 'kube_deployment_status_replicas_available', 'deployment')],
        unit: 'short',
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'StatefulSets short of replicas',
        description: 'Desired minus ready replicas, for StatefulSets that lack some.',
        queries: [notReady('kube_statefulset_replicas', 'kube_statefulset_status_replicas_ready', 'statefulset')],
        unit: 'short',
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'DaemonSets short of pods',
        description: 'Nodes that should run a DaemonSet pod minus nodes where it is ready.',
        queries: [notReady('kube_daemonset_status_desired_number_scheduled', 'kube_daemonset_status_number_ready', 'daemonset')],
        unit: 'short',
        span: 8,
      }),
    )
    .withRow(row('Requests'))
    .withPanel(
      timeSeries({
        title: 'CPU requested',
        description: 'CPU cores requested by pending and running pods, per namespace.',
        queries: [{ expr: activeRequests(scope, 'cpu', 'namespace'), legend: '{{namespace}}' }],
        unit: 'short',
        stacked: true,
        min: 0,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory requested',
        description: 'Memory requested by pending and running pods, per namespace.',
        queries: [{ expr: activeRequests(scope, 'memory', 'namespace'), legend: '{{namespace}}' }],
        unit: 'bytes',
        stacked: true,
        min: 0,
      }),
    );
  return finish(FOLDERS.kubernetes, dashboard);
}
