import { describeObject, Manifest, selectorMatches, synthesizedStack } from './support/manifests';
import { allContainers, renderedPods, RenderedPod } from './support/pods';

/**
 * A Service lists only Ready pods unless it sets publishNotReadyAddresses. Some pods become Ready
 * only once their clients or peers have found them; if those find them through such a Service,
 * neither side ever becomes ready. Each rule below is what upstream's source says at the pinned
 * version, and upstream's own charts publish not-ready addresses for exactly these Services.
 */
interface ReadinessRule {
  /** Pods it applies to: `app.kubernetes.io/name` and `-target`, or a container port name. */
  readonly app?: string;
  readonly target?: string;
  readonly port?: string;
  /** The clients whose connection makes them ready (`-target`s of the same app). @default - any client */
  readonly readyThrough?: readonly string[];
  readonly why: string;
}

const READY_ONLY_ONCE_FOUND: readonly ReadinessRule[] = [
  { app: 'tempo', target: 'query-frontend', readyThrough: ['querier'], why: 'Tempo 3.0.3 modules/frontend/v1/frontend.go CheckReady: not ready until a querier has connected' },
  { app: 'pyroscope', target: 'metastore', readyThrough: ['metastore'], why: 'Pyroscope 2.2.1 metastore: ready once its Raft group has a leader, which needs its peers' },
  { port: 'memberlist', why: 'dskit ring members: ready once they joined the gossip ring through its peers' },
];

const environments = [...synthesizedStack().byEnv.entries()];

function targetOf(pod: RenderedPod): string | undefined {
  return allContainers(pod.spec)[0]?.args?.find((a: string) => a.startsWith('-target='))?.slice('-target='.length);
}

function rulesFor(pod: RenderedPod, client: RenderedPod, servicePorts: readonly string[]): ReadinessRule[] {
  return READY_ONLY_ONCE_FOUND.filter((r) => {
    const applies = r.port ? servicePorts.includes(r.port) : pod.labels['app.kubernetes.io/name'] === r.app && targetOf(pod) === r.target;
    const byThatClient = !r.readyThrough || (client.labels['app.kubernetes.io/name'] === pod.labels['app.kubernetes.io/name'] && r.readyThrough.includes(targetOf(client) ?? ''));
    return applies && byThatClient;
  });
}

/** Every string inside a value, however deeply nested. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** `<service>.<namespace>.svc` in any form a client resolves it: host:port, dns+, dns:///, SRV `_port._tcp.` names. */
const SERVICE_NAME = /(?:^|[^a-z0-9-])(?:_[a-z0-9-]+\._tcp\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\b/g;

function servicesNamedBy(pod: RenderedPod, manifests: readonly Manifest[]): Manifest[] {
  const mounted = (pod.spec.volumes ?? []).map((v: any) => v.configMap?.name).filter(Boolean);
  const texts = [
    ...manifests
      .filter((m) => m.object.kind === 'ConfigMap' && m.object.metadata.namespace === pod.namespace && mounted.includes(m.object.metadata.name))
      .flatMap((m) => strings(m.object.data)),
    ...allContainers(pod.spec).flatMap((c) => strings([c.args, c.env])),
  ];
  const names = new Set(texts.flatMap((t) => [...t.matchAll(SERVICE_NAME)].map((m) => `${m[3]}/${m[1]}`)));
  return manifests.filter((m) => m.object.kind === 'Service' && names.has(`${m.object.metadata.namespace}/${m.object.metadata.name}`));
}

/** One case per Service and discovered workload: the clients that find it there, and the rule. */
function cycleCases(manifests: readonly Manifest[]) {
  const pods = renderedPods(manifests);
  const cases = new Map<string, { service: Manifest; rule: ReadinessRule; target: RenderedPod; clients: Set<string> }>();
  for (const client of pods) {
    for (const service of servicesNamedBy(client, manifests)) {
      const selected = pods.filter((p) => p.namespace === service.object.metadata.namespace && selectorMatches({ matchLabels: service.object.spec.selector }, p.labels));
      const ports = service.object.spec.ports.map((p: any) => p.name);
      for (const target of selected) {
        for (const rule of rulesFor(target, client, ports)) {
          const key = `${service.object.metadata.name} ${describeObject(target.source)}`;
          const entry = cases.get(key) ?? { service, rule, target, clients: new Set<string>() };
          entry.clients.add(client.source.object.metadata.name);
          cases.set(key, entry);
        }
      }
    }
  }
  return [...cases.values()].map((c) => [`Service ${c.service.object.metadata.name} -> ${describeObject(c.target.source)} (found by ${[...c.clients].sort().join(', ')})`, c.service, c.rule] as const);
}

const allCases = environments.map(([env, manifests]) => [env, cycleCases(manifests)] as const);

test('the rules apply somewhere: the microservices find their peers through Services', () => {
  expect(allCases.flatMap(([, cases]) => cases).length).toBeGreaterThan(0);
});

describe.each(allCases.filter(([, cases]) => cases.length > 0))('readiness cycles in %s', (_, cases) => {
  test.each(cases)('%s: the Service lists not-ready pods', (_, service, rule) => {
    expect({ service: service.object.metadata.name, why: rule.why, publishNotReadyAddresses: service.object.spec.publishNotReadyAddresses === true }).toEqual({
      service: service.object.metadata.name,
      why: rule.why,
      publishNotReadyAddresses: true,
    });
  });
});
