import { replicasOf, storageBackendRules } from '../common/database-rules';
import { Problems, RuleContext } from '../common/problems';
import { LOKI_TARGETS, LokiSettings } from './loki';

/** Loki's rules, with the setting each one names (`loki.` in the environment). */
export function lokiRules(p: Problems, loki: LokiSettings, context: RuleContext): void {
  if (storageBackendRules(p, 'loki', loki, LOKI_TARGETS, 'logs', context)) {
    const ingesters = replicasOf(loki, 'ingester');
    if (ingesters !== undefined && ingesters < 3) {
      p.add('loki.components.ingester.replicas', ingesters, 'at least 3: scalable Loki writes every stream to 3 ingesters');
    }
    if (context.highAvailability && context.zones.length < 3) {
      p.add('cluster.zones', context.zones, 'at least 3 zones while loki.mode is "scalable" and highAvailability is true: zone-aware ingesters keep one copy of each stream per zone');
    }
    const compactors = replicasOf(loki, 'compactor');
    if (compactors !== undefined && compactors !== 1) {
      p.add('loki.components.compactor.replicas', compactors, 'exactly 1: the compactor applies retention and deletes alone');
    }
  }
  p.positiveNumber('loki.ingestionRateMb', loki.ingestionRateMb, false);
  p.positiveNumber('loki.ingestionBurstSizeMb', loki.ingestionBurstSizeMb, false);
  p.positiveNumber('loki.maxGlobalStreamsPerUser', loki.maxGlobalStreamsPerUser, true);
}
