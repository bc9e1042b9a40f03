import { withDefaults } from '../common/defaults';
import { Problems, RuleContext } from '../common/problems';
import { ALLOY_DEFAULTS, AlloySettings } from './alloy';

/** The collectors' rules, with the setting each one names (`alloy.` in the environment). */
export function alloyRules(p: Problems, settings: AlloySettings, context: RuleContext): void {
  const alloy = withDefaults(settings, ALLOY_DEFAULTS);
  p.integer('alloy.collectorReplicas', alloy.collectorReplicas, 1, 50);
  p.replicatedWhenHighlyAvailable('alloy.collectorReplicas', alloy.collectorReplicas, context);
  p.resources('alloy.nodeAgentResources', alloy.nodeAgentResources);
  p.resources('alloy.collectorResources', alloy.collectorResources);
  p.positiveQuantity('alloy.collectorStorageSize', alloy.collectorStorageSize, 'memory');
}
