import { alloyDashboard } from './alloy';
import { costDashboard } from './cost';
import { grafanaDashboard } from './grafana';
import { StackDashboard, WorkloadScope } from './kit';
import { kubernetesNodes } from './kubernetes-nodes';
import { kubernetesResources } from './kubernetes-resources';
import { kubernetesWorkloads } from './kubernetes-workloads';
import { lokiDashboard } from './loki';
import { mimirDashboard } from './mimir';
import { prometheusDashboard } from './prometheus';
import { pyroscopeDashboard } from './pyroscope';
import { tempoDashboard } from './tempo';

export { FOLDERS } from './kit';
export type { DashboardFolder, StackDashboard, WorkloadScope } from './kit';

/** Where each component of the stack runs, for the dashboards that watch it. */
export interface StackScopes {
  readonly prometheus: WorkloadScope;
  readonly mimir: WorkloadScope;
  readonly loki: WorkloadScope;
  readonly tempo: WorkloadScope;
  readonly pyroscope: WorkloadScope;
  readonly alloy: WorkloadScope;
  readonly grafana: WorkloadScope;
}

/**
 * Pod-name patterns of the stack's workloads. Every workload of a component is named after it
 * (`mimir-ingester-zone-a-0`, `loki-0`); Prometheus pods are `prometheus-<resource name>-<n>`,
 * which keeps `prometheus-operator-*` out.
 */
export function stackScopes(namespace: string, nodeAgentNamespace: string): StackScopes {
  const of = (podPattern: string, ns = namespace): WorkloadScope => ({ namespace: ns, podPattern });
  return {
    prometheus: of('prometheus-prometheus-[0-9]+'),
    mimir: of('mimir-.+'),
    loki: of('loki-.+'),
    tempo: of('tempo-.+'),
    pyroscope: of('pyroscope-.+'),
    alloy: of('alloy-.+', `${namespace}|${nodeAgentNamespace}`),
    grafana: of('grafana-.+'),
  };
}

/** Dashboards of optional components, present when the component is. */
export interface OptionalDashboards {
  /** OpenCost runs, pricing in this currency (ISO 4217). @default - no cost dashboard */
  readonly costCurrency?: string;
}

/** Every dashboard the stack provisions into Grafana. */
export function stackDashboards(scopes: StackScopes, optional: OptionalDashboards = {}): StackDashboard[] {
  return [
    ...(optional.costCurrency ? [costDashboard(optional.costCurrency)] : []),
    kubernetesWorkloads(),
    kubernetesResources(),
    kubernetesNodes(),
    prometheusDashboard(scopes.prometheus),
    mimirDashboard(scopes.mimir),
    lokiDashboard(scopes.loki),
    tempoDashboard(scopes.tempo),
    pyroscopeDashboard(scopes.pyroscope),
    alloyDashboard(scopes.alloy),
    grafanaDashboard(scopes.grafana),
  ];
}
