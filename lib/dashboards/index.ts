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
export type { DashboardFolder, StackDashboard } from '../grafana/dashboard-provisioning';

/** Where each component of the stack runs, as its constructs name its pods, for the dashboards that watch it. */
export interface StackScopes {
  readonly prometheus: WorkloadScope;
  readonly mimir: WorkloadScope;
  readonly loki: WorkloadScope;
  readonly tempo: WorkloadScope;
  readonly pyroscope: WorkloadScope;
  readonly alloy: WorkloadScope;
  readonly grafana: WorkloadScope;
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
