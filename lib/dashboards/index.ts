import { StackDashboard } from './kit';
import { kubernetesWorkloads } from './kubernetes-workloads';

export { FOLDERS } from './kit';
export type { DashboardFolder, StackDashboard } from './kit';

/** Every dashboard the stack provisions into Grafana. */
export function stackDashboards(): StackDashboard[] {
  return [kubernetesWorkloads()];
}
