import { ENVIRONMENTS } from '../environments';
import { resolveStackConfig } from '../lib/config/validate';
import { describeObject, Manifest, selectorMatches, synthesizedStack } from './support/manifests';

/**
 * StatefulSets whose zones must not restart together use `OnDelete` and leave the restarts to the
 * rollout-operator (grafana/rollout-operator v0.38.1, the version mimir-distributed 6.2.0 ships
 * for Mimir 3.2). Such a StatefulSet is only safe if that operator really runs, may act, and can
 * find the pods; otherwise its pods never take a new config at all.
 */
const environments = [...synthesizedStack().byEnv.entries()];

const kindOf = (manifests: readonly Manifest[], kind: string) => manifests.filter((m) => m.object.kind === kind);

describe.each(environments)('zoned StatefulSets in %s', (env, manifests) => {
  const config = resolveStackConfig(ENVIRONMENTS.find((e) => e.environment === env)!);
  const zoned = kindOf(manifests, 'StatefulSet').filter((m) => m.object.spec.updateStrategy?.type === 'OnDelete');
  const operators = kindOf(manifests, 'Deployment').filter((m) => m.object.spec.template.spec.containers[0].image.includes('/rollout-operator:'));

  test('a rollout-operator runs exactly where zoned StatefulSets exist', () => {
    expect(operators.length).toBe(zoned.length > 0 ? 1 : 0);
  });

  const cases = zoned.map((m) => [describeObject(m), m] as const);
  if (cases.length === 0) return;

  test.each(cases)('%s is rolled by an operator that watches its namespace and may act', (_, sts) => {
    const namespace = sts.object.metadata.namespace;
    expect(sts.object.metadata.labels['rollout-group']).toMatch(/^[a-z0-9-]+$/);
    expect(Number(sts.object.metadata.annotations['rollout-max-unavailable'])).toBeGreaterThanOrEqual(1);
    const operator = operators.find((o) => o.object.spec.template.spec.containers[0].args.includes(`-kubernetes.namespace=${namespace}`));
    expect(operator && describeObject(operator)).toBeDefined();
    const serviceAccount = operator!.object.spec.template.spec.serviceAccountName;
    const bindings = kindOf(manifests, 'RoleBinding').filter(
      (b) => b.object.metadata.namespace === namespace && b.object.subjects.some((s: any) => s.name === serviceAccount && s.namespace === operator!.object.metadata.namespace),
    );
    const rules = bindings.flatMap((b) => kindOf(manifests, 'Role').find((r) => r.object.metadata.name === b.object.roleRef.name && r.object.metadata.namespace === namespace)!.object.rules);
    const may = (group: string, resource: string, verb: string) => rules.some((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    expect({ deletePods: may('', 'pods', 'delete'), patchStatefulSets: may('apps', 'statefulsets', 'patch'), watchZpdb: may('rollout-operator.grafana.com', 'zoneawarepoddisruptionbudgets', 'watch') }).toEqual({
      deletePods: true,
      patchStatefulSets: true,
      watchZpdb: true,
    });
  });

  test.each(cases)('%s: its pods carry a `name` label no other StatefulSet uses', (_, sts) => {
    const name = sts.object.spec.template.metadata.labels.name;
    expect(name).toBe(sts.object.metadata.name);
    const others = kindOf(manifests, 'StatefulSet').filter((o) => o !== sts && o.object.spec.template.metadata.labels.name === name);
    expect(others.map(describeObject)).toEqual([]);
  });

  {
    test('the operator finds the CRD it waits for at start', () => {
      const crd = kindOf(manifests, 'CustomResourceDefinition').find((c) => c.object.metadata.name === 'zoneawarepoddisruptionbudgets.rollout-operator.grafana.com');
      expect(crd?.object.spec.versions.map((v: any) => v.name)).toEqual(['v1']);
      expect(crd?.object.spec.scope).toBe('Namespaced');
    });

    test('one disruption budget spans the zones of each rollout group, allowing one pod at a time', () => {
      const groups = new Set(zoned.map((m) => m.object.metadata.labels['rollout-group']));
      for (const group of groups) {
        const members = zoned.filter((m) => m.object.metadata.labels['rollout-group'] === group);
        const budgets = kindOf(manifests, 'PodDisruptionBudget').filter((b) => members.some((m) => selectorMatches(b.object.spec.selector, m.object.spec.template.metadata.labels)));
        if (!config.highAvailability) continue;
        expect(budgets.map(describeObject)).toHaveLength(1);
        for (const m of members) expect(selectorMatches(budgets[0].object.spec.selector, m.object.spec.template.metadata.labels)).toBe(true);
        expect(budgets[0].object.spec.maxUnavailable).toBe(1);
      }
    });
  }

  if (config.highAvailability && zoned.length > 0) {
    test('each zone of a rollout group is pinned to its own availability zone of the declared cluster', () => {
      const groups = new Set(zoned.map((m) => m.object.metadata.labels['rollout-group']));
      for (const group of groups) {
        const pinned = zoned
          .filter((m) => m.object.metadata.labels['rollout-group'] === group)
          .map((m) => m.object.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]);
        for (const term of pinned) expect(term).toMatchObject({ key: 'topology.kubernetes.io/zone', operator: 'In' });
        const zones = pinned.map((t: any) => t.values[0]);
        expect(new Set(zones).size).toBe(zones.length);
        for (const zone of zones) expect(config.cluster.zones).toContain(zone);
      }
    });
  }
});
