import * as common from '@grafana/grafana-foundation-sdk/common';
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DataSourceRef,
  Panel,
  QueryVariableBuilder,
  RowBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { WorkloadScope } from '../common/endpoints';
import { CLUSTER_LABEL } from '../common/labels';

export type { WorkloadScope };
import { DashboardFolder, StackDashboard } from '../grafana/dashboard-provisioning';

export type { StackDashboard };
import { DATASOURCE_UIDS } from '../grafana/grafana';

/** The folders the stack provisions dashboards into. */
export const FOLDERS = {
  kubernetes: { uid: 'kubernetes', title: 'Kubernetes' },
  stack: { uid: 'observability-stack', title: 'Observability stack' },
} as const satisfies Record<string, DashboardFolder>;

export const METRICS: DataSourceRef = { type: 'prometheus', uid: DATASOURCE_UIDS.metrics };

/**
 * Every series the stack stores carries the `cluster` label its collector adds; each dashboard
 * filters on it so one Grafana can serve several clusters writing to one tenant.
 */
export const CLUSTER_FILTER = `${CLUSTER_LABEL}=~"$cluster"`;

/**
 * A dashboard with the house defaults: the viewer's time zone, shared crosshair, 30 s refresh,
 * read-only (provisioned dashboards are changed in code, not in the UI), and the cluster variable.
 */
export function stackDashboard(props: {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  /** A metric the dashboard reads, whose `cluster` values fill the cluster variable. */
  clusterMetric: string;
}): DashboardBuilder {
  return new DashboardBuilder(props.title)
    .uid(props.uid)
    .description(props.description)
    .tags(['observability-stack', ...props.tags])
    .readonly()
    .tooltip(DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .withVariable(labelVariable({ name: 'cluster', label: 'Cluster', metric: props.clusterMetric, labelName: CLUSTER_LABEL, multi: false }));
}

/** A variable listing the values of one label of one metric, filtered by the variables before it. */
export function labelVariable(props: {
  name: string;
  label: string;
  metric: string;
  labelName: string;
  filter?: string;
  multi?: boolean;
}): QueryVariableBuilder {
  const selector = props.filter ? `${props.metric}{${props.filter}}` : props.metric;
  const query = `label_values(${selector}, ${props.labelName})`;
  const multi = props.multi ?? true;
  const variable = new QueryVariableBuilder(props.name)
    .label(props.label)
    .datasource(METRICS)
    // The classic string form: every Prometheus datasource version reads it.
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc)
    .multi(multi)
    .includeAll(multi);
  // "All" as a regex, not an enumeration: the query stays short however many values exist.
  return multi ? variable.allValue('.*') : variable;
}

type PanelBuilder = cog.Builder<Panel>;

/** A titled row of panels. */
export interface DashboardSection {
  readonly title: string;
  readonly panels: readonly PanelBuilder[];
}

export interface ComponentDashboardProps {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: string[];
  /** A metric of the component, whose `cluster` values fill the cluster variable. */
  readonly clusterMetric: string;
  readonly scope: WorkloadScope;
  /** The component's dskit request histogram, for the requests row. @default - no requests row */
  readonly requestHistogram?: string;
  /** The headline figures, first. */
  readonly overview: readonly PanelBuilder[];
  /** The component's own rows, after the requests row and before the resources row. */
  readonly sections: readonly DashboardSection[];
}

/**
 * The layout every component of the stack shares: overview, requests by route (dskit backends),
 * the component's own rows, and resources.
 */
export function componentDashboard(props: ComponentDashboardProps): StackDashboard {
  const withSection = (builder: DashboardBuilder, section: DashboardSection) =>
    section.panels.reduce((b, panel) => b.withPanel(panel), builder.withRow(row(section.title)));
  let dashboard = withSection(stackDashboard(props), { title: 'Overview', panels: props.overview });
  if (props.requestHistogram) dashboard = withRequestsRow(dashboard, props.requestHistogram, scopeFilter(props.scope));
  dashboard = props.sections.reduce(withSection, dashboard);
  return finish(FOLDERS.stack, withResourcesRow(dashboard, props.scope));
}

/**
 * Builds the model and numbers its panels: the SDK leaves ids unset (rows get 0), and Grafana needs
 * them unique for links to a panel and for its "view panel" URLs to be stable across syncs.
 */
export function finish(folder: DashboardFolder, builder: DashboardBuilder): StackDashboard {
  const model = builder.build();
  (model.panels ?? []).forEach((panel, index) => {
    panel.id = index + 1;
  });
  return { folder, model };
}

/**
 * The selector of one component's pods: their namespace and pod names. Both the kubelet's
 * container metrics and the component's own metrics (scraped through the operator,
 * which adds `namespace` and `pod`) carry these labels, so one filter serves both.
 */
export function scopeFilter(scope: WorkloadScope): string {
  return `${CLUSTER_FILTER}, namespace=~"${scope.namespace}", pod=~"${scope.podPattern}"`;
}

/**
 * The resource row every component dashboard ends with: CPU and memory against requests, CPU
 * throttling, restarts. Containers only: the kubelet also reports pod-level cgroups (no container).
 */
export function withResourcesRow(dashboard: DashboardBuilder, scope: WorkloadScope): DashboardBuilder {
  const pods = scopeFilter(scope);
  const containers = `${pods}, container!="", container!="POD"`;
  const requestOf = (resource: 'cpu' | 'memory') => ({ expr: activeRequests(pods, resource, 'pod'), legend: '{{pod}} requested' });
  return dashboard
    .withRow(row('Resources'))
    .withPanel(
      timeSeries({
        title: 'CPU',
        description: 'CPU cores used per pod, with what each requested.',
        queries: [
          { expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${containers}}[$__rate_interval]))`, legend: '{{pod}}' },
          requestOf('cpu'),
        ],
        unit: 'short',
        min: 0,
        span: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Memory',
        description: 'Working set per pod (what the kernel counts against the limit), with what each requested.',
        queries: [{ expr: `sum by (pod) (container_memory_working_set_bytes{${containers}})`, legend: '{{pod}}' }, requestOf('memory')],
        unit: 'bytes',
        min: 0,
        span: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'CPU throttling',
        description: 'Share of scheduling periods in which a pod hit its CPU limit.',
        queries: [
          {
            expr:
              `sum by (pod) (increase(container_cpu_cfs_throttled_periods_total{${containers}}[$__rate_interval])) ` +
              `/ sum by (pod) (increase(container_cpu_cfs_periods_total{${containers}}[$__rate_interval]))`,
            legend: '{{pod}}',
          },
        ],
        unit: 'percentunit',
        min: 0,
        span: 6,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Restarts',
        description: 'Container restarts per pod over the last hour.',
        queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${pods}}[1h]))`, legend: '{{pod}}' }],
        unit: 'short',
        min: 0,
        span: 6,
      }),
    );
}

/** Per-second rate of a counter, summed `by` the given labels (or in total). */
export function rateOf(metric: string, filter: string, by?: string): string {
  return `sum${by ? ` by (${by})` : ''} (rate(${metric}{${filter}}[$__rate_interval]))`;
}

/** A quantile of a classic histogram, `by` the given labels. */
export function quantileOf(q: number, histogram: string, filter: string, by?: string): string {
  return `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${histogram}_bucket{${filter}}[$__rate_interval])))`;
}

/**
 * Request rate, errors and latency by route, from the request histogram every Grafana backend
 * (dskit's instrumentation) records. Errors are HTTP 5xx, or gRPC calls marked `error`.
 * Websocket streams (`ws="true"`) live as long as the client and are left out of latency.
 */
export function withRequestsRow(dashboard: DashboardBuilder, histogram: string, filter: string): DashboardBuilder {
  const requests = `${filter}, ws="false"`;
  return dashboard
    .withRow(row('Requests'))
    .withPanel(
      timeSeries({
        title: 'Requests by route',
        description: 'Requests per second served, by route.',
        queries: [{ expr: rateOf(`${histogram}_count`, requests, 'route'), legend: '{{route}}' }],
        unit: 'reqps',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'Errors by route',
        description: 'Share of requests that failed on the server side, by route.',
        queries: [
          {
            expr: `${rateOf(`${histogram}_count`, `${requests}, status_code=~"5..|error"`, 'route')} / ${rateOf(`${histogram}_count`, requests, 'route')}`,
            legend: '{{route}}',
          },
        ],
        unit: 'percentunit',
        min: 0,
        span: 8,
      }),
    )
    .withPanel(
      timeSeries({
        title: 'p99 latency by route',
        description: '99th percentile of request duration, by route.',
        queries: [{ expr: quantileOf(0.99, histogram, requests, 'route'), legend: '{{route}}' }],
        unit: 's',
        min: 0,
        span: 8,
      }),
    );
}

/**
 * Ring members by state. Every member publishes the whole ring, so the figures are the largest any
 * member sees, not a sum.
 */
export function ringPanel(metric: string, filter: string): timeseries.PanelBuilder {
  return timeSeries({
    title: 'Ring members',
    description: 'Members of each hash ring by state: anything but ACTIVE for long means a stuck or departed replica.',
    queries: [{ expr: `max by (name, state) (${metric}{${filter}})`, legend: '{{name}} {{state}}' }],
    unit: 'short',
    min: 0,
  });
}

/**
 * Resources requested by pods that still hold them, summed `by` the given labels (or in total):
 * finished pods keep their request series, but no longer hold the resources.
 */
export function activeRequests(filter: string, resource: 'cpu' | 'memory', by?: string): string {
  const grouping = by ? ` by (${by})` : '';
  return (
    `sum${grouping} (kube_pod_container_resource_requests{${filter}, resource="${resource}"} ` +
    `* on (${CLUSTER_LABEL}, namespace, pod) group_left () (kube_pod_status_phase{${filter}, phase=~"Pending|Running"} == 1))`
  );
}

export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}

export interface PanelProps {
  readonly title: string;
  readonly description: string;
  /** One query per series group; `legend` uses Grafana's `{{label}}` syntax. */
  readonly queries: readonly { expr: string; legend?: string }[];
  readonly unit: string;
  /** Width in grid columns (of 24). @default - DEFAULT_SPAN */
  readonly span?: number;
  /** @default - DEFAULT_HEIGHT */
  readonly height?: number;
}

function targets(queries: PanelProps['queries']): DataqueryBuilder[] {
  return queries.map((q, i) =>
    new DataqueryBuilder()
      .refId(String.fromCharCode(65 + i))
      .datasource(METRICS)
      .expr(q.expr)
      .legendFormat(q.legend ?? '__auto'),
  );
}

/** A time series panel, legend as a table so values stay readable with many series. */
export function timeSeries(props: PanelProps & { stacked?: boolean; min?: number }): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(props.title)
    .description(props.description)
    .datasource(METRICS)
    .unit(props.unit)
    .span(props.span ?? 12)
    .height(props.height ?? 8)
    .fillOpacity(props.stacked ? 40 : 10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .targets(targets(props.queries));
  if (props.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (props.min !== undefined) panel.min(props.min);
  return panel;
}

/** A single-value panel showing the latest value. */
export function singleStat(props: PanelProps): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(props.title)
    .description(props.description)
    .datasource(METRICS)
    .unit(props.unit)
    .span(props.span ?? 6)
    .height(props.height ?? 4)
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.None)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .targets(targets(props.queries));
}
