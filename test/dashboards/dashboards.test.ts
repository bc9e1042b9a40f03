import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { ImageName, versionOf } from '../../lib/common/images';
import { StackScopes, stackDashboards } from '../../lib/dashboards';
import { buildStack } from '../../charts/stack';
import { UiChart } from '../../charts/ui';
import { ENVIRONMENTS } from '../../environments';
import { resolveStackConfig } from '../../lib/config/validate';
import { FOLDERS, StackDashboard } from '../../lib/dashboards/kit';
import { dashboardProvisioning, MAX_DASHBOARD_BYTES } from '../../lib/grafana/dashboard-provisioning';
import { DATASOURCE_UIDS } from '../../lib/grafana/grafana';
import { synthesizedStack } from '../support/manifests';
import { promqlLabelUses, promqlMetricNames, queryProblems } from '../support/queries';

/** The pod scopes the constructs of an environment expose, as the Grafana chart receives them. */
function scopesOf(environment: string): StackScopes {
  const config = ENVIRONMENTS.find((e) => e.environment === environment)!;
  // Charts answer instanceof for each other (cdk8s defines Symbol.hasInstance): compare constructors.
  const ui = buildStack(resolveStackConfig(config)).files.find((f): f is UiChart => f.constructor === UiChart)!;
  return ui.scopes;
}

const dashboards = stackDashboards(scopesOf('dev'), { costCurrency: 'USD' });

/** Each catalog records one pinned image's metrics; it must be regenerated when the image moves. */
const CATALOG_IMAGES: Record<string, ImageName> = {
  'kube-state-metrics': 'kubeStateMetrics',
  'node-exporter': 'nodeExporter',
  prometheus: 'prometheus',
  mimir: 'mimir',
  loki: 'loki',
  tempo: 'tempo',
  pyroscope: 'pyroscope',
  alloy: 'alloy',
  grafana: 'grafana',
  opencost: 'opencost',
};
/** Parts of the kubelet: their version is that of the Kubernetes API the stack targets. */
const KUBELET_CATALOGS = ['cadvisor', 'kubelet'];
const catalogDir = path.join(__dirname, '..', '..', 'lib', 'dashboards', 'catalog');
const catalogs = fs.readdirSync(catalogDir).map((f) => JSON.parse(fs.readFileSync(path.join(catalogDir, f), 'utf8')));
const metricsOf = (components: string[]) => new Set<string>(catalogs.filter((c) => components.includes(c.component)).flatMap((c) => c.metrics));

/** The exporters each dashboard reads: a metric must come from one of them, not any component. */
const RESOURCE_SOURCES = ['cadvisor', 'kube-state-metrics'];
const DASHBOARD_SOURCES: Record<string, string[]> = {
  'k8s-workloads': ['kube-state-metrics'],
  'k8s-resources': ['cadvisor', 'kubelet', 'kube-state-metrics'],
  'k8s-nodes': ['node-exporter'],
  'k8s-cost': ['opencost', 'cadvisor', 'kube-state-metrics'],
  'stack-prometheus': ['prometheus', ...RESOURCE_SOURCES],
  'stack-mimir': ['mimir', ...RESOURCE_SOURCES],
  'stack-loki': ['loki', ...RESOURCE_SOURCES],
  'stack-tempo': ['tempo', ...RESOURCE_SOURCES],
  'stack-pyroscope': ['pyroscope', ...RESOURCE_SOURCES],
  'stack-alloy': ['alloy', ...RESOURCE_SOURCES],
  'stack-grafana': ['grafana', ...RESOURCE_SOURCES],
};

/**
 * Labels every scraped series carries whatever its metric: the external `cluster` label, the job
 * and instance, and what the operator adds from the target (namespace, pod, service...).
 */
const TARGET_LABELS = new Set(['cluster', 'job', 'instance', 'namespace', 'pod', 'service', 'endpoint', 'container', 'metrics_path']);
const HISTOGRAM_SUFFIX = /_(bucket|count|sum)$/;

/** A metric's own labels from its catalog (a metric the catalog lists without labels has none). */
function ownLabels(metric: string, sources: string[]): Set<string> | undefined {
  const catalog = catalogs.find((c) => sources.includes(c.component) && c.metrics.includes(metric));
  if (!catalog?.labels) return undefined;
  const labels: string[] = catalog.labels[metric] ?? catalog.labels[metric.replace(HISTOGRAM_SUFFIX, '')] ?? [];
  return new Set([...labels, ...(metric.endsWith('_bucket') ? ['le'] : [])]);
}

/** Every PromQL text of a dashboard: panel targets and variable queries, with where it sits. */
function promqlOf(d: StackDashboard): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  for (const panel of d.model.panels ?? []) {
    for (const target of ((panel as any).targets ?? []) as any[]) found.push({ where: `${d.model.uid} "${panel.title}"`, expr: target.expr });
  }
  for (const variable of d.model.templating?.list ?? []) {
    const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
    // label_values(selector, label): the selector is PromQL.
    const selector = /^label_values\((.+),\s*[a-zA-Z_]+\)$/.exec(query ?? '')?.[1];
    if (selector) found.push({ where: `${d.model.uid} $${variable.name}`, expr: selector });
  }
  return found;
}

describe('metric catalogs', () => {
  test.each(catalogs.map((c) => [c.component, c]))('%s records the pinned version, with its source', (component, catalog) => {
    if (KUBELET_CATALOGS.includes(component as string)) {
      expect(`${catalog.version} ${catalog.source}`).toMatch(/\b1\.28\b/);
    } else {
      const image = CATALOG_IMAGES[component as string];
      expect(image).toBeDefined();
      expect(catalog.version).toBe(versionOf(image));
    }
    expect(catalog.source.length).toBeGreaterThan(20);
    expect(catalog.metrics.length).toBeGreaterThanOrEqual(5);
    expect([...catalog.metrics].sort()).toEqual(catalog.metrics);
  });
});

describe.each(dashboards.map((d) => [d.model.uid, d]))('dashboard %s', (_uid, d) => {
  const queries = promqlOf(d);
  const panels = (d.model.panels ?? []).filter((p) => p.type !== 'row') as any[];

  test('has queries, and each one parses as PromQL', () => {
    expect(queries.length).toBeGreaterThan(0);
    for (const q of queries) expect({ where: q.where, problems: queryProblems('promql', q.expr) }).toEqual({ where: q.where, problems: [] });
  });

  test('reads only metrics its components expose at their pinned versions', () => {
    const sources = DASHBOARD_SOURCES[d.model.uid!];
    expect(sources).toBeDefined();
    const knownMetrics = metricsOf(sources);
    const unknown = queries.flatMap((q) => promqlMetricNames(q.expr).filter((m) => !knownMetrics.has(m)).map((m) => `${q.where}: ${m}`));
    expect(unknown).toEqual([]);
  });

  test('filters and groups only by labels its metrics carry', () => {
    const sources = DASHBOARD_SOURCES[d.model.uid!];
    const problems: string[] = [];
    for (const q of queries) {
      for (const use of promqlLabelUses(q.expr)) {
        if (TARGET_LABELS.has(use.label) || use.metrics.length === 0) continue;
        const known = use.metrics.map((m) => ownLabels(m, sources));
        if (known.some((labels) => labels === undefined || labels.has(use.label))) continue;
        problems.push(`${q.where}: ${use.label} is not a label of ${use.metrics.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('queries the provisioned metrics datasource', () => {
    for (const p of panels) {
      expect(p.datasource).toEqual({ type: 'prometheus', uid: DATASOURCE_UIDS.metrics });
      for (const t of p.targets) expect(t.datasource.uid).toBe(DATASOURCE_UIDS.metrics);
    }
  });

  test('filters every panel query by the cluster variable', () => {
    for (const p of panels) for (const t of p.targets) expect(t.expr).toContain('cluster=~"$cluster"');
  });

  test('panels have unique ids, titles, descriptions and non-overlapping places on the 24-column grid', () => {
    const all = d.model.panels ?? [];
    expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
    expect(all.every((p) => typeof p.id === 'number' && p.id > 0)).toBe(true);
    for (const p of panels) {
      expect(p.title).toBeTruthy();
      expect(p.description).toBeTruthy();
    }
    const cells = new Set<string>();
    for (const p of all) {
      const { x, y, w, h } = p.gridPos!;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`)).toBe(false);
          cells.add(`${i},${j}`);
        }
      }
    }
  });

  test('is read-only in the UI: code is its source', () => {
    expect(d.model.editable).toBe(false);
  });
});

describe('dashboard provisioning', () => {
  const stack = synthesizedStack();

  test.each([...stack.byEnv.entries()])('%s: every provider path is a mounted folder of existing ConfigMaps holding its dashboards', (_env, manifests) => {
    const configMap = (name: string) => manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === name)?.object;
    const deployment = manifests.find((m) => m.object.kind === 'Deployment' && m.object.metadata.name === 'grafana')!.object;
    const pod = deployment.spec.template.spec;
    const container = pod.containers.find((c: any) => c.name === 'grafana');
    const mountAt = (p: string) => container.volumeMounts.find((m: any) => m.mountPath === p);
    const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);

    const providersMount = mountAt('/etc/grafana/provisioning/dashboards');
    const providersConfigMap = configMap(volume(providersMount.name).configMap.name);
    const providers = (load(providersConfigMap.data['dashboards.yaml']) as any).providers as any[];
    expect(providers.map((p) => p.folderUid).sort()).toEqual([...new Set(dashboards.map((d) => d.folder.uid))].sort());

    const provisionedUids: string[] = [];
    for (const provider of providers) {
      expect(provider.type).toBe('file');
      const mount = mountAt(provider.options.path);
      expect(mount).toBeDefined();
      for (const source of volume(mount.name).projected.sources) {
        const cm = configMap(source.configMap.name);
        expect(cm).toBeDefined();
        for (const [file, json] of Object.entries<string>(cm.data)) {
          const model = JSON.parse(json);
          expect(file).toBe(`${model.uid}.json`);
          expect(dashboards.find((d) => d.model.uid === model.uid)!.folder.uid).toBe(provider.folderUid);
          expect(Buffer.byteLength(JSON.stringify(cm))).toBeLessThan(256 * 1024);
          provisionedUids.push(model.uid);
        }
      }
    }
    expect(provisionedUids.sort()).toEqual(dashboards.map((d) => d.model.uid).sort());
  });
});

describe('dashboard provisioning rejects', () => {
  const sample = dashboards[0];
  const withUid = (uid: string): StackDashboard => ({ folder: sample.folder, model: { ...sample.model, uid } });

  test('two dashboards with one uid', () => {
    expect(() => dashboardProvisioning('grafana', [withUid('same'), withUid('same')])).toThrow('dashboard uid "same" is used twice');
  });

  test('a uid Grafana would not accept, naming the allowed form', () => {
    expect(() => dashboardProvisioning('grafana', [withUid('Not Valid')])).toThrow(/uid is "Not Valid"; allowed: 1 to 40 lowercase letters/);
    expect(() => dashboardProvisioning('grafana', [withUid('x'.repeat(41))])).toThrow(/allowed: 1 to 40/);
  });

  test('a dashboard too large for one ConfigMap under kubectl apply', () => {
    const huge: StackDashboard = { folder: sample.folder, model: { ...sample.model, description: 'x'.repeat(MAX_DASHBOARD_BYTES) } };
    expect(() => dashboardProvisioning('grafana', [huge])).toThrow(new RegExp(`renders to \\d+ bytes; allowed: at most ${MAX_DASHBOARD_BYTES}`));
  });

  test('one folder uid with two titles', () => {
    const other: StackDashboard = { folder: { uid: FOLDERS.kubernetes.uid, title: 'Elsewhere' }, model: { ...sample.model, uid: 'other' } };
    expect(() => dashboardProvisioning('grafana', [sample, other])).toThrow('has two titles');
  });
});

describe('component scopes', () => {
  /** A pod name each workload would give its pods, as the controllers form them. */
  function samplePods(manifests: readonly { object: any }[]): { pod: string; namespace: string; component: string }[] {
    const suffix: Record<string, string> = { Deployment: '-5d8f7c9b4-x2x7k', StatefulSet: '-0', DaemonSet: '-x2x7k' };
    return manifests.flatMap(({ object }) => {
      const labels = object.metadata?.labels ?? {};
      const component = labels['app.kubernetes.io/name'];
      if (object.kind === 'Prometheus') return [{ pod: `prometheus-${object.metadata.name}-0`, namespace: object.metadata.namespace, component: 'prometheus' }];
      if (!suffix[object.kind]) return [];
      return [{ pod: `${object.metadata.name}${suffix[object.kind]}`, namespace: object.metadata.namespace, component }];
    });
  }

  test.each([...synthesizedStack().byEnv.entries()])('%s: each scope matches exactly the pods of its component', (env, manifests) => {
    const scopes = scopesOf(env);
    const pods = samplePods(manifests);
    for (const [component, scope] of Object.entries(scopes)) {
      const matches = (re: string, s: string) => new RegExp(`^(?:${re})$`).test(s);
      const selected = pods.filter((p) => matches(scope.namespace, p.namespace) && matches(scope.podPattern, p.pod)).map((p) => p.pod);
      const own = pods.filter((p) => p.component === component).map((p) => p.pod);
      expect({ env, component, selected: selected.sort() }).toEqual({ env, component, selected: own.sort() });
      expect(own.length).toBeGreaterThan(0);
    }
  });
});

describe('the cost dashboard', () => {
  const scopes = scopesOf('dev');
  const units = (d: StackDashboard) => new Set((d.model.panels ?? []).map((p: any) => p.fieldConfig?.defaults?.unit).filter(Boolean));

  test('exists only where OpenCost runs', () => {
    expect(stackDashboards(scopes).map((d) => d.model.uid)).not.toContain('k8s-cost');
    expect(stackDashboards(scopes, { costCurrency: 'USD' }).map((d) => d.model.uid)).toContain('k8s-cost');
  });

  test('shows money in the currency the prices are in', () => {
    const cost = (currency: string) => stackDashboards(scopes, { costCurrency: currency }).find((d) => d.model.uid === 'k8s-cost')!;
    expect(units(cost('EUR'))).toContain('currencyEUR');
    expect(units(cost('CHF'))).toContain('suffix: CHF');
    expect(units(cost('CHF'))).not.toContain('currencyUSD');
  });
});
