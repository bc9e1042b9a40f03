import { ENVIRONMENTS } from '../environments';
import { resolveStackConfig } from '../lib/config/validate';
import { availabilityGroups, drainLosses, nodeLosses, rolloutLosses, rolloutUnits, zoneLosses } from './support/availability';
import { synthesizedStack } from './support/manifests';
import { schedule } from './support/scheduler';

/**
 * Every environment declares the smallest cluster it targets (`cluster` in its config). Every pod
 * of its dist/ must fit that cluster; then no single node loss, zone loss, set of rollouts or
 * node drain may take a Kafka partition, a replication set or a Raft group below what it needs.
 */
describe.each([...synthesizedStack().byEnv.entries()])('scheduling %s on its declared cluster', (env, manifests) => {
  const config = resolveStackConfig(ENVIRONMENTS.find((e) => e.environment === env)!);
  const placement = schedule(manifests, config.cluster);
  const groups = availabilityGroups(placement.pods, manifests);

  test('every pod fits a node, honouring requests, affinity and topology spread', () => {
    expect(placement.unschedulable).toEqual([]);
  });

  test('losing any one node leaves every partition, replication set and Raft group enough pods', () => {
    expect(nodeLosses(placement.nodes, groups)).toEqual([]);
  });

  test('losing any one zone leaves every partition, replication set and Raft group enough pods', () => {
    expect(zoneLosses(placement.nodes, groups)).toEqual([]);
  });

  test('rollouts, however they line up, never take a group below what it needs', () => {
    const { units, problems } = rolloutUnits(manifests);
    expect([...problems, ...rolloutLosses(units, groups)]).toEqual([]);
  });

  test('node drains, bounded by the PodDisruptionBudgets, never take a group below what it needs', () => {
    expect(drainLosses(placement.pods, manifests, groups)).toEqual([]);
  });

  if (config.highAvailability) {
    test('the groups the simulation guards are the ones a highly available stack has', () => {
      const names = groups.map((g) => g.name);
      expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^mimir ingester partition 0$/), expect.stringMatching(/^tempo live-store partition 0$/)]));
      expect(names).toEqual(expect.arrayContaining(['pyroscope metastore Raft group', expect.stringMatching(/^loki ingester zone-aware replication/)]));
    });
  }
});
