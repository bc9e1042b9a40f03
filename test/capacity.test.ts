import { load } from 'js-yaml';
import { parseQuantity } from '../lib/common/resources';
import { CONFIG_FILE } from '../lib/common/database';
import { MIMIR_MONOLITHIC_BASE_BYTES, mimirDistributorRateCapacity, mimirIngesterSeriesCapacity } from '../lib/sizing/capacity';
import { Manifest, synthesizedStack } from './support/manifests';

/**
 * A limit a database enforces per tenant is a promise: the tenant may reach it. Read from dist/,
 * every such limit must fit in the memory of the pods that hold it, by upstream's capacity
 * rules (lib/sizing/capacity.ts), or the tenant's growth ends in an OOM-kill loop instead of a
 * clean "limit reached" error.
 */
const environments = [...synthesizedStack().byEnv.entries()];

const configOf = (manifests: readonly Manifest[], app: string) =>
  load(manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.labels?.['app.kubernetes.io/name'] === app && m.object.data?.[CONFIG_FILE])!.object.data[CONFIG_FILE]) as any;

const workloads = (manifests: readonly Manifest[], app: string, target: string) =>
  manifests.filter(
    (m) => ['StatefulSet', 'Deployment'].includes(m.object.kind) && m.object.metadata.labels?.['app.kubernetes.io/name'] === app && m.object.spec.template.spec.containers[0].args?.some((a: string) => a === `-target=${target}` || a.startsWith(`-target=${target},`)),
  );

const memoryLimit = (w: Manifest) => parseQuantity(w.object.spec.template.spec.containers[0].resources.limits.memory)!;

describe.each(environments)('capacity in %s', (_, manifests) => {
  const mimir = configOf(manifests, 'mimir');

  test('Mimir: a tenant at its series limit fits in the ingesters that hold its series', () => {
    const series = mimir.limits.max_global_series_per_user;
    const zoned = workloads(manifests, 'mimir', 'ingester');
    if (zoned.length > 0) {
      // Ingest storage: each zone holds every series, spread over one ingester per partition.
      for (const zone of zoned) {
        const perIngester = Math.ceil(series / zone.object.spec.replicas);
        expect({ zone: zone.object.metadata.name, perIngester, fits: perIngester <= mimirIngesterSeriesCapacity(memoryLimit(zone)) }).toEqual({ zone: zone.object.metadata.name, perIngester, fits: true });
      }
    } else {
      const binary = workloads(manifests, 'mimir', 'all');
      expect(binary).toHaveLength(1);
      expect(series).toBeLessThanOrEqual(mimirIngesterSeriesCapacity(memoryLimit(binary[0]), MIMIR_MONOLITHIC_BASE_BYTES));
    }
  });

  test('Mimir: a tenant at its ingestion rate fits in the distributors', () => {
    const distributors = workloads(manifests, 'mimir', 'distributor');
    if (distributors.length === 0) return; // the single binary's distributor shares the process, sized above
    const capacity = distributors.reduce((total, d) => total + mimirDistributorRateCapacity(memoryLimit(d)) * d.object.spec.replicas, 0);
    expect(mimir.limits.ingestion_rate).toBeLessThanOrEqual(capacity);
  });

  test('Loki: an ingester replays its WAL into less memory than it may use', () => {
    const loki = configOf(manifests, 'loki');
    // A dskit byte size: `512MiB` (binary) or `4GB` (decimal); Loki's default is 4GB.
    const size = String(loki.ingester?.wal?.replay_memory_ceiling ?? '4GB');
    const ceiling = parseQuantity(size.replace(/iB$/, 'i').replace(/([KMGT])B$/, '$1'))!;
    for (const w of [...workloads(manifests, 'loki', 'ingester'), ...workloads(manifests, 'loki', 'all')]) {
      expect({ ingester: w.object.metadata.name, below: ceiling < memoryLimit(w) }).toEqual({ ingester: w.object.metadata.name, below: true });
    }
  });
});
