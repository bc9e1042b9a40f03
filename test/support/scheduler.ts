import { parseQuantity } from '../../lib/common/resources';
import { describeObject, Manifest, selectorMatches } from './manifests';
import { renderedPods, RenderedPod } from './pods';

/**
 * A small model of the Kubernetes scheduler (1.28 defaults), enough to tell whether every pod of
 * dist/ fits the cluster an environment declares: resource requests, nodeSelector, required node
 * affinity, required pod anti-affinity (both ways) and topology spread constraints
 * (`DoNotSchedule` filters, `ScheduleAnyway` scores; nodeAffinityPolicy Honor, taints ignored).
 * It places greedily, most constrained pods first, so a failure here is a pod the real scheduler
 * may well leave Pending too.
 */

export const ZONE_KEY = 'topology.kubernetes.io/zone';
export const HOSTNAME_KEY = 'kubernetes.io/hostname';

export interface ClusterSpec {
  readonly zones: readonly string[];
  readonly nodesPerZone: number;
  readonly nodeCpu: string;
  readonly nodeMemory: string;
}

export interface SimNode {
  readonly name: string;
  readonly zone: string;
  readonly labels: Record<string, string>;
  readonly cpu: number;
  readonly memory: number;
  usedCpu: number;
  usedMemory: number;
  readonly pods: SimPod[];
}

export interface SimPod {
  /** As the controller names it: `<statefulset>-<ordinal>`, `<deployment>-<i>`, `<daemonset>-<node>`. */
  readonly name: string;
  readonly source: Manifest;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly spec: any;
  readonly cpu: number;
  readonly memory: number;
  /** StatefulSet ordinal. */
  readonly ordinal?: number;
  node?: SimNode;
}

export function buildNodes(cluster: ClusterSpec): SimNode[] {
  const cpu = parseQuantity(cluster.nodeCpu)!;
  const memory = parseQuantity(cluster.nodeMemory)!;
  return cluster.zones.flatMap((zone) =>
    Array.from({ length: cluster.nodesPerZone }, (_, i) => {
      const name = `${zone}-node-${i + 1}`;
      return { name, zone, labels: { [HOSTNAME_KEY]: name, [ZONE_KEY]: zone, 'kubernetes.io/os': 'linux' }, cpu, memory, usedCpu: 0, usedMemory: 0, pods: [] };
    }),
  );
}

/** The config-reloader prometheus-operator adds to every Prometheus pod (its default requests). */
const CONFIG_RELOADER = { cpu: 0.01, memory: 50 * 2 ** 20 };

function requestsOf(pod: RenderedPod): { cpu: number; memory: number } {
  if (pod.modelledFrom) {
    const requests = pod.source.object.spec.resources?.requests ?? {};
    return { cpu: (parseQuantity(requests.cpu ?? '0') ?? 0) + CONFIG_RELOADER.cpu, memory: (parseQuantity(requests.memory ?? '0') ?? 0) + CONFIG_RELOADER.memory };
  }
  // Init containers run before the others: the pod needs the larger of the two.
  const sum = (cs: any[], key: 'cpu' | 'memory') => cs.reduce((t, c) => t + (parseQuantity(c.resources?.requests?.[key] ?? '0') ?? 0), 0);
  const max = (cs: any[], key: 'cpu' | 'memory') => Math.max(0, ...cs.map((c) => parseQuantity(c.resources?.requests?.[key] ?? '0') ?? 0));
  const init = pod.spec.initContainers ?? [];
  return {
    cpu: Math.max(sum(pod.spec.containers, 'cpu'), max(init, 'cpu')),
    memory: Math.max(sum(pod.spec.containers, 'memory'), max(init, 'memory')),
  };
}

/** The pods every workload of dist/ creates, named as their controllers name them. */
export function expandPods(manifests: readonly Manifest[], nodes: readonly SimNode[]): SimPod[] {
  const pods: SimPod[] = [];
  for (const rendered of renderedPods(manifests)) {
    const { cpu, memory } = requestsOf(rendered);
    const object = rendered.source.object;
    // The operator copies the Prometheus resource's scheduling fields onto its pods.
    const spec = rendered.modelledFrom
      ? { ...rendered.spec, nodeSelector: object.spec.nodeSelector, affinity: object.spec.affinity, topologySpreadConstraints: object.spec.topologySpreadConstraints }
      : rendered.spec;
    const base = { source: rendered.source, namespace: rendered.namespace, labels: rendered.labels, spec, cpu, memory };
    if (object.kind === 'DaemonSet') {
      for (const node of nodes) if (nodeSelectorMatches(spec, node)) pods.push({ ...base, name: `${object.metadata.name}-${node.name}`, node });
      continue;
    }
    const replicas = object.spec.replicas ?? 1;
    const prefix = rendered.modelledFrom ? `prometheus-${object.metadata.name}` : object.metadata.name;
    for (let i = 0; i < replicas; i++) {
      const stateful = object.kind === 'StatefulSet' || rendered.modelledFrom;
      pods.push({ ...base, name: `${prefix}-${i}`, ordinal: stateful ? i : undefined });
    }
  }
  return pods;
}

function nodeSelectorMatches(spec: any, node: SimNode): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (node.labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  // Terms are ORed, expressions inside a term ANDed.
  return terms.some((term: any) => (term.matchExpressions ?? []).every((e: any) => selectorMatches({ matchExpressions: [e] }, node.labels)));
}

function sameDomain(a: SimNode, b: SimNode, key: string): boolean {
  return a.labels[key] !== undefined && a.labels[key] === b.labels[key];
}

/** Required anti-affinity terms of `pod` that `other`, placed on `otherNode`, violates if `pod` goes to `node`. */
function antiAffinityBlocks(pod: SimPod, node: SimNode, other: SimPod, otherNode: SimNode): boolean {
  const terms = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.some(
    (t: any) => other.namespace === pod.namespace && selectorMatches(t.labelSelector, other.labels) && sameDomain(node, otherNode, t.topologyKey),
  );
}

interface Evaluation {
  readonly fits: boolean;
  readonly reason?: string;
  /** Lower is better. */
  readonly score: number[];
}

function skewAfter(pod: SimPod, node: SimNode, c: any, nodes: readonly SimNode[], placed: readonly SimPod[]): number | undefined {
  const eligible = nodes.filter((n) => nodeSelectorMatches(pod.spec, n) && n.labels[c.topologyKey] !== undefined);
  if (!eligible.includes(node)) return undefined;
  const domains = [...new Set(eligible.map((n) => n.labels[c.topologyKey]))];
  const count = (domain: string) =>
    placed.filter((p) => p.node && p.node.labels[c.topologyKey] === domain && eligible.includes(p.node) && p.namespace === pod.namespace && selectorMatches(c.labelSelector, p.labels)).length;
  const counts = new Map(domains.map((d) => [d, count(d)]));
  const min = Math.min(...counts.values());
  const self = selectorMatches(c.labelSelector, pod.labels) ? 1 : 0;
  return counts.get(node.labels[c.topologyKey])! + self - min;
}

function evaluate(pod: SimPod, node: SimNode, nodes: readonly SimNode[], placed: readonly SimPod[]): Evaluation {
  if (!nodeSelectorMatches(pod.spec, node)) return { fits: false, reason: 'node selector or affinity', score: [] };
  if (node.usedCpu + pod.cpu > node.cpu + 1e-9) return { fits: false, reason: 'CPU', score: [] };
  if (node.usedMemory + pod.memory > node.memory) return { fits: false, reason: 'memory', score: [] };
  for (const other of placed) {
    if (!other.node) continue;
    if (antiAffinityBlocks(pod, node, other, other.node) || antiAffinityBlocks(other, other.node, pod, node)) {
      return { fits: false, reason: `pod anti-affinity with ${other.name}`, score: [] };
    }
  }
  let softSkew = 0;
  for (const c of pod.spec.topologySpreadConstraints ?? []) {
    const skew = skewAfter(pod, node, c, nodes, placed);
    if (skew === undefined) continue;
    if (c.whenUnsatisfiable === 'DoNotSchedule' && skew > c.maxSkew) return { fits: false, reason: `topology spread on ${c.topologyKey}`, score: [] };
    if (c.whenUnsatisfiable === 'ScheduleAnyway') softSkew += Math.max(0, skew - c.maxSkew);
  }
  // Like the default scheduler: respect soft spreads, spread a workload's pods, then least allocated.
  const siblings = placed.filter((p) => p.node === node && p.source === pod.source).length;
  const zoneSiblings = placed.filter((p) => p.node && p.node.zone === node.zone && p.source === pod.source).length;
  const allocated = Math.max((node.usedCpu + pod.cpu) / node.cpu, (node.usedMemory + pod.memory) / node.memory);
  return { fits: true, score: [softSkew, siblings, zoneSiblings, allocated] };
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

export interface Placement {
  readonly nodes: readonly SimNode[];
  readonly pods: readonly SimPod[];
  /** One line per pod that fits no node, naming it and why each kind of node refused it. */
  readonly unschedulable: readonly string[];
}

function constraintWeight(pod: SimPod): number {
  const hard = pod.spec.affinity?.nodeAffinity ? 4 : 0;
  const anti = pod.spec.affinity?.podAntiAffinity ? 2 : 0;
  const spread = (pod.spec.topologySpreadConstraints ?? []).some((c: any) => c.whenUnsatisfiable === 'DoNotSchedule') ? 1 : 0;
  return hard + anti + spread;
}

/** Places every pod of `manifests` on `cluster`. */
export function schedule(manifests: readonly Manifest[], cluster: ClusterSpec): Placement {
  const nodes = buildNodes(cluster);
  const pods = expandPods(manifests, nodes);
  const unschedulable: string[] = [];
  const placed: SimPod[] = [];
  // Node agents first: a DaemonSet pod is bound to its node before anything else competes.
  for (const pod of pods.filter((p) => p.node)) {
    const node = pod.node!;
    if (node.usedCpu + pod.cpu > node.cpu || node.usedMemory + pod.memory > node.memory) unschedulable.push(`${pod.name} (${describeObject(pod.source)}): no room on ${node.name}`);
    node.usedCpu += pod.cpu;
    node.usedMemory += pod.memory;
    node.pods.push(pod);
    placed.push(pod);
  }
  const rest = pods
    .filter((p) => !p.node)
    .sort((a, b) => constraintWeight(b) - constraintWeight(a) || b.memory - a.memory || b.cpu - a.cpu || a.name.localeCompare(b.name));
  for (const pod of rest) {
    let best: { node: SimNode; score: number[] } | undefined;
    const reasons = new Map<string, number>();
    for (const node of nodes) {
      const e = evaluate(pod, node, nodes, placed);
      if (!e.fits) reasons.set(e.reason!, (reasons.get(e.reason!) ?? 0) + 1);
      else if (!best || better(e.score, best.score)) best = { node, score: e.score };
    }
    if (!best) {
      const why = [...reasons].map(([r, n]) => `${n} node(s): ${r}`).join('; ');
      unschedulable.push(`${pod.name} (${describeObject(pod.source)}, ${Math.round(pod.cpu * 1000)}m CPU, ${Math.round(pod.memory / 2 ** 20)}Mi) fits no node: ${why}`);
      continue;
    }
    pod.node = best.node;
    best.node.usedCpu += pod.cpu;
    best.node.usedMemory += pod.memory;
    best.node.pods.push(pod);
    placed.push(pod);
  }
  return { nodes, pods, unschedulable };
}
