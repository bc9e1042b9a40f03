import { kafkaTopicRules, replicasOf, storageBackendRules } from '../common/database-rules';
import { Problems, RuleContext } from '../common/problems';
import { parseQuantity } from '../common/resources';
import { MIMIR_MONOLITHIC_BASE_BYTES, mimirDistributorRateCapacity, mimirIngesterSeriesCapacity } from '../sizing/capacity';
import { MIMIR_DEFAULTS, MIMIR_TARGETS, MimirSettings } from './mimir';

/** Mimir's rules, with the setting each one names (`mimir.` in the environment). */
export function mimirRules(p: Problems, mimir: MimirSettings, context: RuleContext): void {
  if (storageBackendRules(p, 'mimir', mimir, MIMIR_TARGETS, 'metrics', context)) scalableRules(p, mimir, context);
  p.positiveNumber('mimir.ingestionRate', mimir.ingestionRate, false);
  p.positiveNumber('mimir.ingestionBurstSize', mimir.ingestionBurstSize, true);
  p.positiveNumber('mimir.maxGlobalSeriesPerUser', mimir.maxGlobalSeriesPerUser, true);
  p.positiveNumber('mimir.maxGlobalExemplarsPerUser', mimir.maxGlobalExemplarsPerUser, true);
  limitsReachable(p, mimir, context);
}

function scalableRules(p: Problems, mimir: MimirSettings, context: RuleContext): void {
  for (const bucket of ['metricsRuler', 'metricsAlertmanager'] as const) {
    if (context.objectStorage && !context.objectStorage.buckets?.[bucket]) {
      p.add(`objectStorage.buckets.${bucket}`, undefined, 'a bucket name: mimir.mode is "scalable" (rules and Alertmanager state need their own)');
    }
  }
  const partitions = kafkaTopicRules(p, 'metrics', 'mimir', context, 'scalable Mimir uses Kafka ingest storage');
  const ingesters = replicasOf(mimir, 'ingester');
  if (partitions !== undefined && ingesters !== undefined && ingesters !== partitions) {
    p.add('mimir.components.ingester.replicas', ingesters, `exactly kafka.partitions.metrics (${partitions}): each ingester consumes the partition of its ordinal`);
  }
  const storeGateways = replicasOf(mimir, 'store-gateway');
  if (storeGateways !== undefined && storeGateways < 3) {
    p.add('mimir.components.store-gateway.replicas', storeGateways, 'at least 3: every block is loaded by 3 store-gateways');
  }
  const alertmanagers = replicasOf(mimir, 'alertmanager');
  if (alertmanagers !== undefined && alertmanagers < 3) {
    p.add('mimir.components.alertmanager.replicas', alertmanagers, 'at least 3: Alertmanager state is replicated 3 times');
  }
}

/** The limits Mimir enforces must be reachable before its pods run out of memory. */
function limitsReachable(p: Problems, mimir: MimirSettings, context: RuleContext): void {
  const series = mimir.maxGlobalSeriesPerUser ?? MIMIR_DEFAULTS.maxGlobalSeriesPerUser;
  const rule = "Mimir's planning guide: an ingester needs 2.5 GB per 300,000 series";
  if (mimir.mode !== 'scalable') {
    const resources = mimir.resources ?? MIMIR_DEFAULTS.resources;
    const limit = parseQuantity(resources.memoryLimit);
    if (!limit) return;
    const capacity = mimirIngesterSeriesCapacity(limit, MIMIR_MONOLITHIC_BASE_BYTES);
    if (series > capacity) {
      p.add('mimir.maxGlobalSeriesPerUser', series, `at most ${capacity} in a single binary of ${resources.memoryLimit} (${rule}, beside the other modules), or raise mimir.resources.memoryLimit`);
    }
    return;
  }
  const partitions = context.kafka?.partitions?.metrics;
  const ingester = mimir.components?.ingester?.resources ?? MIMIR_DEFAULTS.components.ingester.resources;
  const limit = parseQuantity(ingester.memoryLimit);
  if (partitions && limit) {
    const capacity = mimirIngesterSeriesCapacity(limit) * partitions;
    if (series > capacity) {
      p.add('mimir.maxGlobalSeriesPerUser', series, `at most ${capacity} with ${partitions} ingesters per zone of ${ingester.memoryLimit} (${rule}), or raise mimir.components.ingester.resources.memoryLimit`);
    }
  }
  const rate = mimir.ingestionRate ?? MIMIR_DEFAULTS.ingestionRate;
  const replicas = replicasOf(mimir, 'distributor') ?? MIMIR_DEFAULTS.components.distributor.replicas;
  const resources = mimir.components?.distributor?.resources ?? MIMIR_DEFAULTS.components.distributor.resources;
  const distributorLimit = parseQuantity(resources.memoryLimit);
  if (distributorLimit) {
    const capacity = mimirDistributorRateCapacity(distributorLimit) * replicas;
    if (rate > capacity) {
      p.add('mimir.ingestionRate', rate, `at most ${capacity} samples/s with ${replicas} distributors of ${resources.memoryLimit} (Mimir's planning guide: 1 GB per 25,000 samples/s), or raise mimir.components.distributor`);
    }
  }
}
