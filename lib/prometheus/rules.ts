import { withDefaults } from '../common/defaults';
import { Problems, RuleContext } from '../common/problems';
import { PROMETHEUS_DEFAULTS, PrometheusSettings } from './prometheus';

/** Prometheus byte size, as the Prometheus CRD of prometheus-operator v0.93.1 validates `retentionSize`. */
const PROMETHEUS_BYTE_SIZE = /(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$/;
const PROMETHEUS_BYTE_UNITS: Record<string, number> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60 };

/** Bytes of a Prometheus size such as "512MB" (powers of 1024, as Prometheus reads them). */
function parsePrometheusBytes(size: string): number | undefined {
  const match = /^([0-9]*\.?[0-9]+)([KMGTPE]i?)?B$/.exec(size);
  if (!match) return size === '0' ? 0 : undefined;
  return Number(match[1]) * PROMETHEUS_BYTE_UNITS[`${(match[2] ?? '').replace('i', '')}B`];
}

/** Prometheus' rules, with the setting each one names (`prometheus.` in the environment). */
export function prometheusRules(p: Problems, settings: PrometheusSettings, context: RuleContext): void {
  const prom = withDefaults(settings, PROMETHEUS_DEFAULTS);
  p.integer('prometheus.replicas', prom.replicas, 1, 10);
  p.replicatedWhenHighlyAvailable('prometheus.replicas', prom.replicas, context);
  p.duration('prometheus.retention', prom.retention);
  if (!PROMETHEUS_BYTE_SIZE.test(prom.retentionSize)) {
    p.add('prometheus.retentionSize', prom.retentionSize, 'a Prometheus byte size such as "8GB", "512MB" or "1.5TiB"');
  }
  const storageBytes = p.positiveQuantity('prometheus.storageSize', prom.storageSize, 'memory');
  const retentionBytes = parsePrometheusBytes(prom.retentionSize);
  if (storageBytes !== undefined && retentionBytes !== undefined && retentionBytes > 0.9 * storageBytes) {
    // Prometheus counts the WAL in the size but deletes only whole blocks: leave headroom.
    p.add('prometheus.retentionSize', prom.retentionSize, `at most 90% of prometheus.storageSize (${prom.storageSize}); Prometheus units are powers of 1024 (1GB = 1Gi)`);
  }
  p.storageClass('prometheus.storageClassName', prom.storageClassName);
  p.duration('prometheus.scrapeInterval', prom.scrapeInterval);
  p.duration('prometheus.evaluationInterval', prom.evaluationInterval);
  p.resources('prometheus.resources', prom.resources);
}
