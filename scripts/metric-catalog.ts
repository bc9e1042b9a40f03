/**
 * Regenerates lib/dashboards/catalog/<component>.json: the metric names one pinned version of a
 * component exposes, with where the list comes from. Dashboard tests refuse any metric a panel
 * reads that its component does not expose.
 *
 *   kube-state-metrics: its per-resource docs (docs/metrics/**.md), which list every metric with
 *   its stability and whether it is opt-in. Opt-in metrics are recorded only if enabled.
 *
 *   git -C kube-state-metrics archive v2.20.0 docs/metrics | tar -x -C /tmp/ksm
 *   npx ts-node scripts/metric-catalog.ts kube-state-metrics 2.20.0 /tmp/ksm/docs/metrics "kubernetes/kube-state-metrics v2.20.0 docs/metrics"
 */
import * as fs from 'fs';
import * as path from 'path';

export interface MetricCatalog {
  readonly component: string;
  readonly version: string;
  readonly source: string;
  readonly generatedBy: string;
  readonly metrics: readonly string[];
  /** Each metric's own labels (not the target labels Prometheus adds). */
  readonly labels: Record<string, readonly string[]>;
}

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? markdownFiles(full) : e.name.endsWith('.md') ? [full] : [];
  });
}

/**
 * Metrics from kube-state-metrics' tables, skipping opt-in rows. Tables differ in their columns,
 * so each header row says which column holds the labels (each written `name`=&lt;value&gt;).
 * `\|` is a literal bar.
 */
export function ksmMetrics(docsDir: string): Map<string, string[]> {
  const metrics = new Map<string, string[]>();
  for (const file of markdownFiles(docsDir)) {
    let labelColumn = -1;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
      if (/^metric name/i.test(cells[1] ?? '')) labelColumn = cells.findIndex((c) => /label/i.test(c));
      if (cells.length < 4 || !/^kube_[a-z0-9_]+$/.test(cells[1])) continue;
      if (/opt-in/i.test(cells[cells.length - 2] ?? '')) continue;
      if (labelColumn < 0) throw new Error(`${file}: a metric row before any header naming a labels column`);
      const labels = [...(cells[labelColumn] ?? '').matchAll(/`([a-zA-Z_][a-zA-Z0-9_]*)`\s*=/g)].map((m) => m[1]);
      metrics.set(cells[1], [...new Set([...(metrics.get(cells[1]) ?? []), ...labels])].sort());
    }
  }
  return metrics;
}

function main(argv: string[]): void {
  const [component, version, dir, source] = argv;
  if (component !== 'kube-state-metrics' || !version || !dir || !source) {
    console.error('usage: metric-catalog.ts kube-state-metrics <version> <docs/metrics dir> "<source>"');
    process.exit(2);
  }
  const found = ksmMetrics(dir);
  const metrics = [...found.keys()].sort();
  const labels = Object.fromEntries(metrics.map((m) => [m, found.get(m)!]));
  const catalog: MetricCatalog = { component, version, source, generatedBy: 'scripts/metric-catalog.ts', metrics, labels };
  const out = path.join(__dirname, '..', 'lib', 'dashboards', 'catalog', `${component}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(catalog, null, 1)}\n`);
  console.log(`${out}: ${catalog.metrics.length} metrics`);
}

if (require.main === module) main(process.argv.slice(2));
