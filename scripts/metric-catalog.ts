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
}

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? markdownFiles(full) : e.name.endsWith('.md') ? [full] : [];
  });
}

/** Metric names from kube-state-metrics' tables: first column, skipping opt-in rows. */
export function ksmMetrics(docsDir: string): string[] {
  const names = new Set<string>();
  for (const file of markdownFiles(docsDir)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      if (cells.length < 4 || !/^kube_[a-z0-9_]+$/.test(cells[1])) continue;
      if (/opt-in/i.test(cells[cells.length - 2] ?? '')) continue;
      names.add(cells[1]);
    }
  }
  return [...names].sort();
}

function main(argv: string[]): void {
  const [component, version, dir, source] = argv;
  if (component !== 'kube-state-metrics' || !version || !dir || !source) {
    console.error('usage: metric-catalog.ts kube-state-metrics <version> <docs/metrics dir> "<source>"');
    process.exit(2);
  }
  const catalog: MetricCatalog = { component, version, source, generatedBy: 'scripts/metric-catalog.ts', metrics: ksmMetrics(dir) };
  const out = path.join(__dirname, '..', 'lib', 'dashboards', 'catalog', `${component}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(catalog, null, 1)}\n`);
  console.log(`${out}: ${catalog.metrics.length} metrics`);
}

if (require.main === module) main(process.argv.slice(2));
