import { load } from 'js-yaml';
import { describeObject, Manifest, selectorMatches } from './manifests';
import { allContainers } from './pods';
import { SimNode, SimPod } from './scheduler';

/**
 * The sets of pods a signal path needs enough of, read from dist/ with what upstream documents of
 * each database at its pinned version:
 * - a Kafka partition is served by its consumers in every ring zone (Mimir ingest storage, Tempo
 *   live-stores): the StatefulSet ordinal is the partition, one owner must stay up;
 * - a replication set (Loki ingesters, Mimir store-gateways and Alertmanagers) needs its quorum or
 *   one replica, from the replication factor in the rendered configuration;
 * - a Raft group (Pyroscope's metastore) needs a majority;
 * - any other replicated workload needs one replica.
 */
export interface AvailabilityGroup {
  readonly name: string;
  readonly pods: readonly SimPod[];
  /** How many of its pods may be down at once (or, for a zone-aware set, how many ring zones). */
  readonly tolerance: number;
  /** For a zone-aware replication set: the ring zone of each pod; loss is counted in zones. */
  readonly zoneOf?: (pod: SimPod) => string;
}

/** The ring zone a pod announces (`-<component>.availability-zone=zone-a` and the like), if any. */
export function ringZoneOf(pod: SimPod): string | undefined {
  const arg = allContainers(pod.spec)[0]?.args?.find((a: string) => /availability-zone=/.test(a));
  return arg?.split('=')[1];
}

/** What a group loses when `pods` are down: pods, or ring zones for a zone-aware set. */
function lossOf(group: AvailabilityGroup, pods: readonly SimPod[]): number {
  return group.zoneOf ? new Set(pods.map(group.zoneOf)).size : pods.length;
}

/** Flags that give a partition consumer its ring zone (ordinal = partition). */
const PARTITION_ZONE_FLAGS = ['-ingester.ring.instance-availability-zone=', '-live-store.instance-availability-zone='];

function targetOf(pod: SimPod): string | undefined {
  const arg = allContainers(pod.spec)[0]?.args?.find((a: string) => a.startsWith('-target='));
  return arg?.slice('-target='.length);
}

function configOf(pod: SimPod, manifests: readonly Manifest[]): any {
  const volume = (pod.spec.volumes ?? []).find((v: any) => v.name === 'config' && v.configMap);
  const cm = volume && manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.namespace === pod.namespace && m.object.metadata.name === volume.configMap.name);
  const text = cm?.object.data?.['config.yaml'];
  return text ? load(text) : undefined;
}

const get = (o: any, path: string): any => path.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), o);

/** Replication factor of a component, per database, as its configuration sets it (upstream defaults otherwise). */
function replicationOf(pod: SimPod, config: any): { factor: number; quorum: boolean; zoneAware?: boolean } | undefined {
  const app = pod.labels['app.kubernetes.io/name'];
  const target = targetOf(pod);
  if (app === 'loki' && target === 'ingester') {
    // Writes need a quorum of the stream's replicas (floor(RF/2)+1); Loki's default RF is 3.
    return {
      factor: get(config, 'ingester.lifecycler.ring.replication_factor') ?? get(config, 'common.replication_factor') ?? 3,
      quorum: true,
      zoneAware: get(config, 'ingester.lifecycler.ring.zone_awareness_enabled') === true && ringZoneOf(pod) !== undefined,
    };
  }
  if (app === 'mimir' && target === 'store-gateway') return { factor: get(config, 'store_gateway.sharding_ring.replication_factor') ?? 3, quorum: false };
  if (app === 'mimir' && target === 'alertmanager') return { factor: get(config, 'alertmanager.sharding_ring.replication_factor') ?? 3, quorum: false };
  return undefined;
}

export function availabilityGroups(pods: readonly SimPod[], manifests: readonly Manifest[]): AvailabilityGroup[] {
  const groups: AvailabilityGroup[] = [];
  const covered = new Set<SimPod>();
  const workloadPods = pods.filter((p) => p.source.object.kind !== 'DaemonSet');

  // Partitions: owners across ring zones, by ordinal.
  const partitions = new Map<string, SimPod[]>();
  for (const pod of workloadPods) {
    const flag = allContainers(pod.spec)[0]?.args?.find((a: string) => PARTITION_ZONE_FLAGS.some((f) => a.startsWith(f)));
    if (!flag || pod.ordinal === undefined) continue;
    const key = `${pod.labels['app.kubernetes.io/name']} ${flag.split('=')[0].replace(/^-/, '').split('.')[0]} partition ${pod.ordinal}`;
    partitions.set(key, [...(partitions.get(key) ?? []), pod]);
  }
  for (const [name, members] of partitions) {
    groups.push({ name, pods: members, tolerance: members.length - 1 });
    members.forEach((p) => covered.add(p));
  }

  // Replication sets and Raft groups: every pod of the workload(s) of that target.
  const byTarget = new Map<string, SimPod[]>();
  for (const pod of workloadPods.filter((p) => !covered.has(p))) {
    const key = `${pod.namespace}/${pod.labels['app.kubernetes.io/name']}/${targetOf(pod) ?? pod.source.object.metadata.name}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), pod]);
  }
  for (const [key, members] of byTarget) {
    const [, app, target] = key.split('/');
    const replication = replicationOf(members[0], configOf(members[0], manifests));
    if (app === 'pyroscope' && target === 'metastore') {
      groups.push({ name: `pyroscope metastore Raft group`, pods: members, tolerance: Math.floor((members.length - 1) / 2) });
    } else if (replication && members.length > 1 && replication.zoneAware) {
      // One copy per ring zone: a write needs copies in a quorum of zones.
      const needed = replication.quorum ? Math.floor(replication.factor / 2) + 1 : 1;
      groups.push({ name: `${app} ${target} zone-aware replication (factor ${replication.factor})`, pods: members, tolerance: replication.factor - needed, zoneOf: (p) => ringZoneOf(p) ?? p.name });
    } else if (replication && members.length > 1) {
      const needed = replication.quorum ? Math.floor(replication.factor / 2) + 1 : 1;
      // Without zone awareness, any pods may hold the same replicas: what one replica set tolerates, the whole set does.
      groups.push({ name: `${app} ${target} replication (factor ${replication.factor})`, pods: members, tolerance: Math.max(0, Math.min(members.length, replication.factor) - needed) });
    } else if (members.length > 1) {
      groups.push({ name: `${app} ${target} replicas`, pods: members, tolerance: members.length - 1 });
    }
  }
  return groups;
}

/** Groups that lose more pods than they tolerate when `down` pods are gone. */
export function brokenGroups(groups: readonly AvailabilityGroup[], down: ReadonlySet<SimPod>, scenario: string): string[] {
  return groups
    .map((g) => ({ g, lost: g.pods.filter((p) => down.has(p)) }))
    .filter(({ g, lost }) => lossOf(g, lost) > g.tolerance)
    .map(({ g, lost }) => `${scenario}: ${g.name} loses ${lost.map((p) => p.name).join(', ')} (tolerates ${g.tolerance})`);
}

export function nodeLosses(nodes: readonly SimNode[], groups: readonly AvailabilityGroup[]): string[] {
  return nodes.flatMap((node) => brokenGroups(groups, new Set(node.pods), `node ${node.name} lost`));
}

export function zoneLosses(nodes: readonly SimNode[], groups: readonly AvailabilityGroup[]): string[] {
  const zones = [...new Set(nodes.map((n) => n.zone))];
  if (zones.length < 2) return [];
  return zones.flatMap((zone) => brokenGroups(groups, new Set(nodes.filter((n) => n.zone === zone).flatMap((n) => n.pods)), `zone ${zone} lost`));
}

/** An IntOrString budget (`1`, `"25%"`) applied to `total` pods; percentages round as Kubernetes does. */
function budget(value: number | string | undefined, total: number, fallback: string, roundUp: boolean): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const percent = Number(v.replace('%', ''));
  return roundUp ? Math.ceil((percent * total) / 100) : Math.floor((percent * total) / 100);
}

/**
 * How many pods of each workload a rollout takes down at once, and which rollouts move together.
 * Independent rollouts (every workload rolls when a shared config changes) may line up in the
 * worst way; StatefulSets of one rollout-operator group roll one after another, as a single unit.
 */
interface RolloutUnit {
  readonly name: string;
  readonly members: readonly { readonly source: Manifest; readonly maxUnavailable: number }[];
}

export function rolloutUnits(manifests: readonly Manifest[]): { units: RolloutUnit[]; problems: string[] } {
  const units: RolloutUnit[] = [];
  const problems: string[] = [];
  const groups = new Map<string, { source: Manifest; maxUnavailable: number }[]>();
  for (const m of manifests) {
    const o = m.object;
    const replicas = o.spec?.replicas ?? 1;
    if (o.kind === 'Deployment') {
      const strategy = o.spec.strategy ?? {};
      const down = strategy.type === 'Recreate' ? replicas : budget(strategy.rollingUpdate?.maxUnavailable, replicas, '25%', false);
      units.push({ name: describeObject(m), members: [{ source: m, maxUnavailable: Math.max(down, strategy.type === 'Recreate' ? replicas : 0) }] });
    } else if (o.kind === 'StatefulSet' || (o.kind === 'Prometheus' && o.apiVersion === 'monitoring.coreos.com/v1')) {
      const strategy = o.spec.updateStrategy?.type ?? 'RollingUpdate';
      if (o.kind === 'StatefulSet' && strategy === 'OnDelete') {
        const group = o.metadata.labels?.['rollout-group'];
        if (!group) {
          problems.push(`${describeObject(m)} uses OnDelete without a rollout-group: nothing would ever roll its pods`);
          continue;
        }
        const max = Number(o.metadata.annotations?.['rollout-max-unavailable'] ?? '1');
        groups.set(`${o.metadata.namespace}/${group}`, [...(groups.get(`${o.metadata.namespace}/${group}`) ?? []), { source: m, maxUnavailable: max }]);
      } else {
        units.push({ name: describeObject(m), members: [{ source: m, maxUnavailable: 1 }] });
      }
    }
  }
  for (const [name, members] of groups) units.push({ name: `rollout group ${name}`, members });
  return { units, problems };
}

/** Groups a set of simultaneous rollouts could break. */
export function rolloutLosses(units: readonly RolloutUnit[], groups: readonly AvailabilityGroup[]): string[] {
  const problems: string[] = [];
  for (const g of groups) {
    let worst = 0;
    const by: string[] = [];
    for (const unit of units) {
      // A coordinated group rolls one StatefulSet at a time: its worst step is its worst member.
      // In a zone-aware set, one StatefulSet's pods down at once are one zone lost.
      const down = Math.max(
        0,
        ...unit.members.map((m) => {
          const held = g.pods.filter((p) => p.source === m.source);
          return g.zoneOf ? Math.min(1, held.length, m.maxUnavailable) * new Set(held.map(g.zoneOf)).size : Math.min(m.maxUnavailable, held.length);
        }),
      );
      if (down > 0) (worst += down), by.push(`${unit.name} (${down})`);
    }
    if (worst > g.tolerance) problems.push(`rollouts: ${g.name} can lose ${worst} pods at once (tolerates ${g.tolerance}): ${by.join(', ')}`);
  }
  return problems;
}

/** Pods a node drain may evict at once under the PodDisruptionBudgets, per group. */
export function drainLosses(pods: readonly SimPod[], manifests: readonly Manifest[], groups: readonly AvailabilityGroup[]): string[] {
  const pdbs = manifests.filter((m) => m.object.kind === 'PodDisruptionBudget');
  const covering = new Map(pods.map((p) => [p, pdbs.filter((b) => b.object.metadata.namespace === p.namespace && selectorMatches(b.object.spec.selector, p.labels))]));
  const coveredBy = (p: SimPod) => covering.get(p) ?? [];
  const problems: string[] = [];
  for (const p of pods) {
    const covering = coveredBy(p);
    // The eviction API refuses pods that two budgets select.
    if (covering.length > 1) problems.push(`${p.name} is selected by ${covering.length} PodDisruptionBudgets (${covering.map(describeObject).join(', ')}): it can never be evicted`);
  }
  for (const g of groups) {
    let evictable = 0;
    for (const b of pdbs) {
      const inBudget = pods.filter((p) => coveredBy(p)[0] === b);
      const allowed =
        b.object.spec.maxUnavailable !== undefined
          ? budget(b.object.spec.maxUnavailable, inBudget.length, '0', true)
          : inBudget.length - budget(b.object.spec.minAvailable, inBudget.length, '0', true);
      const held = g.pods.filter((p) => inBudget.includes(p));
      // In the worst case each eviction a budget allows hits another ring zone.
      evictable += Math.min(Math.max(0, allowed), g.zoneOf ? new Set(held.map(g.zoneOf)).size : held.length);
    }
    const uncovered = g.pods.filter((p) => coveredBy(p).length === 0);
    evictable += lossOf(g, uncovered);
    if (evictable > g.tolerance) problems.push(`drains: ${g.name} can lose ${evictable} ${g.zoneOf ? 'zones' : 'pods'} to evictions at once (tolerates ${g.tolerance})`);
  }
  return problems;
}
