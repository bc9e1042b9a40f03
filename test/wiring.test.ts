import { ENVIRONMENTS } from '../environments';
import { resolveStackConfig } from '../lib/config/validate';
import { COLLECTOR_RECEIVER_PORTS } from '../lib/alloy/alloy';
import { GRAFANA_DEFAULTS } from '../lib/grafana/grafana';
import { EXTERNAL_SERVICES } from '../lib/kubernetes-monitors/external-services';
import { allManifests, describeObject, Manifest, selectorMatches, synthesizedStack } from './support/manifests';
import { allContainers, renderedPods, RenderedPod } from './support/pods';

/**
 * Secrets the stack references but never renders: a platform team creates them (or syncs them
 * from a vault), and names them in the environment's config. README.md ("Secrets you provide")
 * lists their keys.
 */
const USER_PROVIDED_SECRETS: readonly string[] = ENVIRONMENTS.flatMap((e) => [
  e.objectStorage?.credentialsSecret,
  e.kafka?.saslSecret,
  e.kafka?.tls?.caSecret,
  e.grafana?.adminSecret ?? GRAFANA_DEFAULTS.adminSecret,
  e.grafana?.sso?.clientSecretSecret,
]).filter((s): s is string => !!s);

const environments = [...synthesizedStack().byEnv.entries()];
const ENVIRONMENT_TENANTS = new Map(ENVIRONMENTS.map((e) => [e.environment, resolveStackConfig(e).tenant]));

interface ServiceView {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ports: readonly { readonly name?: string; readonly port: number; readonly targetPort?: string | number }[];
}

function services(manifests: readonly Manifest[]): ServiceView[] {
  const rendered = manifests
    .filter((m) => m.object.kind === 'Service')
    .map((m) => ({
      namespace: m.object.metadata.namespace,
      name: m.object.metadata.name,
      labels: m.object.metadata.labels ?? {},
      ports: m.object.spec.ports,
    }));
  return [...rendered, ...EXTERNAL_SERVICES];
}

function namespaceLabels(manifests: readonly Manifest[], namespace: string): Record<string, string> {
  const ns = manifests.find((m) => m.object.kind === 'Namespace' && m.object.metadata.name === namespace);
  // The API server labels every namespace with its own name.
  return { ...(ns?.object.metadata.labels ?? {}), 'kubernetes.io/metadata.name': namespace };
}

function containerPort(pod: RenderedPod, port: string | number): boolean {
  return allContainers(pod.spec).some((c) =>
    (c.ports ?? []).some((p: any) => (typeof port === 'number' ? p.containerPort === port : p.name === port)),
  );
}

function objectsOfKind(manifests: readonly Manifest[], kind: string): Manifest[] {
  return manifests.filter((m) => m.object.kind === kind);
}

function monitorCases(kind: string) {
  return environments.flatMap(([, manifests]) => objectsOfKind(manifests, kind).map((m) => [describeObject(m), m, manifests] as const));
}

describe.each(environments)('wiring of %s', (_, manifests) => {
  const pods = renderedPods(manifests);

  test('every Service selects pods, and every targetPort is a port of those pods', () => {
    const problems: string[] = [];
    for (const m of objectsOfKind(manifests, 'Service')) {
      const svc = m.object;
      const selected = pods.filter((p) => p.namespace === svc.metadata.namespace && selectorMatches({ matchLabels: svc.spec.selector }, p.labels));
      if (selected.length === 0) problems.push(`${describeObject(m)} selects no pod`);
      for (const port of svc.spec.ports) {
        const target = port.targetPort ?? port.port;
        for (const pod of selected) {
          if (!containerPort(pod, target)) problems.push(`${describeObject(m)} port ${port.name}: target ${target} is not a container port of ${describeObject(pod.source)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every workload selector matches its own pod template', () => {
    for (const m of manifests.filter((x) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(x.object.kind))) {
      expect(selectorMatches(m.object.spec.selector, m.object.spec.template.metadata.labels)).toBe(true);
      // Selectors are immutable: a label that changes on upgrade would break `kubectl apply`.
      expect(Object.keys(m.object.spec.selector.matchLabels ?? {})).not.toContain('app.kubernetes.io/version');
    }
  });

  test('every PodDisruptionBudget and NetworkPolicy selects pods that exist', () => {
    const problems: string[] = [];
    for (const m of manifests.filter((x) => ['PodDisruptionBudget', 'NetworkPolicy'].includes(x.object.kind))) {
      const selector = m.object.kind === 'PodDisruptionBudget' ? m.object.spec.selector : m.object.spec.podSelector;
      const isDefaultDeny = m.object.kind === 'NetworkPolicy' && Object.keys(selector).length === 0;
      if (isDefaultDeny) continue;
      const selected = pods.filter((p) => p.namespace === m.object.metadata.namespace && selectorMatches(selector, p.labels));
      if (selected.length === 0) problems.push(`${describeObject(m)} selects no pod`);
      for (const rule of m.object.kind === 'NetworkPolicy' ? m.object.spec.ingress ?? [] : []) {
        for (const port of rule.ports ?? []) {
          for (const pod of selected) if (!containerPort(pod, port.port)) problems.push(`${describeObject(m)} allows port ${port.port}, which ${describeObject(pod.source)} does not have`);
        }
        for (const peer of rule.from ?? []) {
          // `namespaceSelector: {}` alone: every pod of the cluster (a shared intake).
          if (peer.podSelector === undefined && peer.namespaceSelector && Object.keys(peer.namespaceSelector).length === 0) continue;
          const nsName = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? m.object.metadata.namespace;
          if (!pods.some((p) => p.namespace === nsName && selectorMatches(peer.podSelector, p.labels))) {
            problems.push(`${describeObject(m)} allows clients that match no pod: ${JSON.stringify(peer)}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('every ConfigMap, Secret, ServiceAccount and PVC a pod references exists', () => {
    const exists = (kind: string, namespace: string, name: string) =>
      manifests.some((m) => m.object.kind === kind && m.object.metadata.name === name && m.object.metadata.namespace === namespace);
    const problems: string[] = [];
    for (const pod of pods) {
      const where = describeObject(pod.source);
      const sa = pod.spec.serviceAccountName;
      if (sa && !exists('ServiceAccount', pod.namespace, sa)) problems.push(`${where}: ServiceAccount ${sa} missing`);
      const configMaps = new Set<string>();
      const secrets = new Set<string>();
      for (const v of pod.spec.volumes ?? []) {
        if (v.configMap?.name) configMaps.add(v.configMap.name);
        if (v.secret?.secretName) secrets.add(v.secret.secretName);
        for (const s of v.projected?.sources ?? []) {
          if (s.configMap?.name) configMaps.add(s.configMap.name);
          if (s.secret?.name) secrets.add(s.secret.name);
        }
      }
      for (const c of allContainers(pod.spec)) {
        for (const e of c.env ?? []) {
          if (e.valueFrom?.configMapKeyRef) configMaps.add(e.valueFrom.configMapKeyRef.name);
          if (e.valueFrom?.secretKeyRef) secrets.add(e.valueFrom.secretKeyRef.name);
        }
        for (const e of c.envFrom ?? []) {
          if (e.configMapRef) configMaps.add(e.configMapRef.name);
          if (e.secretRef) secrets.add(e.secretRef.name);
        }
      }
      for (const name of configMaps) if (!exists('ConfigMap', pod.namespace, name)) problems.push(`${where}: ConfigMap ${name} missing`);
      for (const name of secrets) {
        if (!exists('Secret', pod.namespace, name) && !USER_PROVIDED_SECRETS.includes(name)) problems.push(`${where}: Secret ${name} is neither rendered nor documented as user-provided`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('every RoleBinding/ClusterRoleBinding binds a role and ServiceAccounts that exist', () => {
    const problems: string[] = [];
    for (const m of manifests.filter((x) => ['RoleBinding', 'ClusterRoleBinding'].includes(x.object.kind))) {
      const { roleRef, subjects } = m.object;
      const role = manifests.find((x) => x.object.kind === roleRef.kind && x.object.metadata.name === roleRef.name);
      if (!role) problems.push(`${describeObject(m)}: ${roleRef.kind} ${roleRef.name} missing`);
      for (const s of subjects) {
        const found = manifests.some((x) => x.object.kind === 'ServiceAccount' && x.object.metadata.name === s.name && x.object.metadata.namespace === s.namespace);
        if (s.kind === 'ServiceAccount' && !found) problems.push(`${describeObject(m)}: ServiceAccount ${s.namespace}/${s.name} missing`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('pods that call the Kubernetes API get a token, and no other pod does', () => {
    const boundServiceAccounts = new Set(
      manifests
        .filter((x) => ['RoleBinding', 'ClusterRoleBinding'].includes(x.object.kind))
        .flatMap((x) => x.object.subjects.map((s: any) => `${s.namespace}/${s.name}`)),
    );
    for (const pod of pods.filter((p) => !p.modelledFrom)) {
      const bound = boundServiceAccounts.has(`${pod.namespace}/${pod.spec.serviceAccountName}`);
      expect({ pod: describeObject(pod.source), token: pod.spec.automountServiceAccountToken === true }).toEqual({
        pod: describeObject(pod.source),
        token: bound,
      });
    }
  });
});

describe('every ServiceMonitor selects a Service and names ports it has', () => {
  const cases = monitorCases('ServiceMonitor');
  test.each(cases)('%s', (_, m, manifests) => {
    const spec = m.object.spec;
    const namespaces: string[] = spec.namespaceSelector?.matchNames ?? [m.object.metadata.namespace];
    expect(spec.namespaceSelector?.any).not.toBe(true);
    const matched = services(manifests).filter((s) => namespaces.includes(s.namespace) && selectorMatches(spec.selector, s.labels));
    expect(matched.map((s) => `${s.namespace}/${s.name}`)).not.toEqual([]);
    for (const endpoint of spec.endpoints) {
      for (const svc of matched) expect({ service: svc.name, ports: svc.ports.map((p) => p.name) }).toEqual({ service: svc.name, ports: expect.arrayContaining([endpoint.port]) });
    }
  });
});

const podMonitorCases = monitorCases('PodMonitor');
// PodMonitors arrive with the collectors; the check runs on every one rendered.
if (podMonitorCases.length > 0) {
  describe('every PodMonitor selects pods and names container ports they have', () => {
    test.each(podMonitorCases)('%s', (_, m, manifests) => {
      const pods = renderedPods(manifests);
      const namespaces: string[] = m.object.spec.namespaceSelector?.matchNames ?? [m.object.metadata.namespace];
      const matched = pods.filter((p) => namespaces.includes(p.namespace) && selectorMatches(m.object.spec.selector, p.labels));
      expect(matched).not.toEqual([]);
      for (const e of m.object.spec.podMetricsEndpoints) for (const p of matched) expect(containerPort(p, e.port)).toBe(true);
    });
  });
}

describe.each(environments)('Prometheus in %s', (_, manifests) => {
  const prometheuses = objectsOfKind(manifests, 'Prometheus');

  test('exists', () => {
    expect(prometheuses).toHaveLength(1);
  });

  const selects = (prometheus: any, kind: string, target: Manifest): boolean => {
    const key = { ServiceMonitor: 'serviceMonitor', PodMonitor: 'podMonitor', Probe: 'probe', ScrapeConfig: 'scrapeConfig', PrometheusRule: 'rule' }[kind]!;
    const selector = prometheus.spec[`${key}Selector`];
    const nsSelector = prometheus.spec[`${key}NamespaceSelector`];
    // A null namespace selector means "only Prometheus' own namespace"; {} means every namespace.
    const nsOk = nsSelector === undefined
      ? target.object.metadata.namespace === prometheus.metadata.namespace
      : selectorMatchesOrAll(nsSelector, namespaceLabels(manifests, target.object.metadata.namespace));
    return selector !== undefined && selectorMatchesOrAll(selector, target.object.metadata.labels ?? {}) && nsOk;
  };

  test('selects every ServiceMonitor, PodMonitor, Probe, ScrapeConfig and PrometheusRule', () => {
    const unselected = manifests
      .filter((m) => ['ServiceMonitor', 'PodMonitor', 'Probe', 'ScrapeConfig', 'PrometheusRule'].includes(m.object.kind))
      .filter((m) => !prometheuses.every((p) => selects(p.object, m.object.kind, m)))
      .map(describeObject);
    expect(unselected).toEqual([]);
  });

  test('selects monitors in any namespace, including ones this project does not render', () => {
    const teamMonitor = { env: 'x', file: 'x', object: { kind: 'ServiceMonitor', metadata: { namespace: 'team-payments', labels: { app: 'payments' } } } };
    for (const p of prometheuses) expect(selects(p.object, 'ServiceMonitor', teamMonitor)).toBe(true);
  });

  test('its service discovery role matches the Services it is asked to scrape', () => {
    for (const p of prometheuses) expect(p.object.spec.serviceDiscoveryRole).toBe('EndpointSlice');
  });
});

function selectorMatchesOrAll(selector: any, labels: Record<string, string>): boolean {
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  return empty || selectorMatches(selector, labels);
}

describe.each(environments)('NetworkPolicies in %s let every real connection through', (_, manifests) => {
  const pods = renderedPods(manifests);
  const policies = objectsOfKind(manifests, 'NetworkPolicy').map((m) => m.object);

  /** Whether `from` may open a TCP connection to `to` on the named/numbered `port`. */
  const allowed = (from: RenderedPod, to: RenderedPod, port: string | number): boolean => {
    if (to.spec.hostNetwork) return true; // NetworkPolicy does not apply to host-network pods.
    const applying = policies.filter((p) => p.metadata.namespace === to.namespace && selectorMatchesOrAll(p.spec.podSelector, to.labels) && p.spec.policyTypes.includes('Ingress'));
    if (applying.length === 0) return true;
    const numeric = (p: string | number) => {
      for (const c of allContainers(to.spec)) for (const cp of c.ports ?? []) if (cp.name === p || cp.containerPort === p) return cp.containerPort;
      return undefined;
    };
    return applying.some((p) =>
      (p.spec.ingress ?? []).some((rule: any) => {
        const portOk = !rule.ports || rule.ports.some((rp: any) => numeric(rp.port) === numeric(port));
        const peerOk = !rule.from || rule.from.some((peer: any) => {
          const nsOk = peer.namespaceSelector ? selectorMatchesOrAll(peer.namespaceSelector, namespaceLabels(manifests, from.namespace)) : from.namespace === to.namespace;
          const podOk = peer.podSelector ? selectorMatchesOrAll(peer.podSelector, from.labels) : true;
          return nsOk && podOk;
        });
        return portOk && peerOk;
      }),
    );
  };

  test('Prometheus reaches every port its ServiceMonitors scrape', () => {
    const prometheusPods = pods.filter((p) => p.source.object.kind === 'Prometheus');
    expect(prometheusPods).not.toEqual([]);
    const blocked: string[] = [];
    for (const m of objectsOfKind(manifests, 'ServiceMonitor')) {
      const namespaces: string[] = m.object.spec.namespaceSelector?.matchNames ?? [m.object.metadata.namespace];
      const svcs = manifests.filter((s) => s.object.kind === 'Service' && namespaces.includes(s.object.metadata.namespace) && selectorMatches(m.object.spec.selector, s.object.metadata.labels));
      for (const s of svcs) {
        const targets = pods.filter((p) => p.namespace === s.object.metadata.namespace && selectorMatches({ matchLabels: s.object.spec.selector }, p.labels));
        for (const e of m.object.spec.endpoints) {
          const targetPort = s.object.spec.ports.find((p: any) => p.name === e.port).targetPort;
          for (const t of targets) for (const from of prometheusPods) {
            if (!allowed(from, t, targetPort)) blocked.push(`${describeObject(from.source)} -> ${describeObject(t.source)}:${targetPort}`);
          }
        }
      }
    }
    expect(blocked).toEqual([]);
  });

  test('nothing else gets in: a pod the stack does not know reaches only the telemetry intake and the UI', () => {
    const stranger: RenderedPod = { source: undefined as any, namespace: 'default', labels: { app: 'stranger' }, annotations: {}, spec: {} };
    const reachable = pods
      .filter((p) => !p.spec.hostNetwork)
      .flatMap((to) => allContainers(to.spec).flatMap((c) => (c.ports ?? []).map((port: any) => ({ to, port: port.name }))))
      .filter(({ to, port }) => allowed(stranger, to, port))
      .map(({ to, port }) => `${to.source.object.metadata.name}:${port}`);
    const intake = [...Object.keys(COLLECTOR_RECEIVER_PORTS).map((port) => `alloy-collector:${port}`), 'grafana:http', 'opencost-ui:http'];
    expect(reachable.sort()).toEqual(intake.sort());
  });
});

/** Every string inside a value, however deeply nested. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const IN_CLUSTER_ADDRESS = /\b([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?\.?:(\d+)/g;

describe.each(environments)('addresses inside configurations in %s', (_, manifests) => {
  const pods = renderedPods(manifests);
  const configMaps = objectsOfKind(manifests, 'ConfigMap');

  /** What one pod is configured to connect to: its config files, args, env and (for Prometheus) remote write. */
  const addressesOf = (pod: RenderedPod) => {
    const mounted = (pod.spec.volumes ?? []).map((v: any) => v.configMap?.name).filter(Boolean);
    const texts = [
      ...configMaps.filter((c) => c.object.metadata.namespace === pod.namespace && mounted.includes(c.object.metadata.name)).flatMap((c) => strings(c.object.data)),
      ...allContainers(pod.spec).flatMap((c) => strings([c.args, c.env])),
      ...(pod.source.object.kind === 'Prometheus' ? strings(pod.source.object.spec.remoteWrite ?? []) : []),
    ];
    return texts.flatMap((t) => [...t.matchAll(IN_CLUSTER_ADDRESS)].map((m) => ({ service: m[1], namespace: m[3], port: Number(m[6]), text: m[0] })));
  };

  // Endpoints outside the stack that the environment names itself (its Kafka, an in-cluster S3).
  const config = ENVIRONMENTS.find((e) => e.environment === _)!;
  const external = [config.kafka?.address, config.objectStorage?.provider === 's3' ? config.objectStorage.endpoint : undefined].filter(Boolean);
  const all = pods.flatMap((pod) => addressesOf(pod).map((a) => [`${describeObject(pod.source)} -> ${a.text}`, pod, a] as const));
  const cases = all.filter(([, , a]) => !external.includes(`${a.service}.${a.namespace}.svc:${a.port}`));

  test('addresses outside dist/ are exactly the external endpoints the environment declares', () => {
    const outside = all.filter(([, , a]) => !manifests.some((m) => m.object.kind === 'Service' && m.object.metadata.name === a.service && m.object.metadata.namespace === a.namespace));
    for (const [, , a] of outside) expect(external).toContain(`${a.service}.${a.namespace}.svc:${a.port}`);
  });

  test('there are in-cluster addresses to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  test.each(cases)('%s points at a Service port that exists, and may connect to it', (_, pod, address) => {
    const service = manifests.find((m) => m.object.kind === 'Service' && m.object.metadata.name === address.service && m.object.metadata.namespace === address.namespace);
    expect(service && describeObject(service)).toBeDefined();
    const port = service!.object.spec.ports.find((p: any) => p.port === address.port);
    expect({ service: address.service, port: port?.port }).toEqual({ service: address.service, port: address.port });
    const targets = pods.filter((p) => p.namespace === address.namespace && selectorMatches({ matchLabels: service!.object.spec.selector }, p.labels));
    expect(targets).not.toEqual([]);
    const policies = objectsOfKind(manifests, 'NetworkPolicy').map((m) => m.object);
    for (const target of targets) {
      const allowedIn = policies.some((policy) =>
        policy.metadata.namespace === target.namespace &&
        selectorMatches(policy.spec.podSelector, target.labels) &&
        (policy.spec.ingress ?? []).some((rule: any) =>
          rule.ports?.some((rp: any) => rp.port === port.targetPort) &&
          rule.from?.some((peer: any) =>
            peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === pod.namespace && selectorMatches(peer.podSelector, pod.labels))));
      expect({ from: describeObject(pod.source), to: describeObject(target.source), allowedIn }).toEqual({ from: describeObject(pod.source), to: describeObject(target.source), allowedIn: true });
    }
  });

  test('writers to the multi-tenant metrics store name the environment tenant', () => {
    const prometheus = objectsOfKind(manifests, 'Prometheus')[0].object;
    const tenant = ENVIRONMENT_TENANTS.get(_);
    expect(tenant).toBeDefined();
    for (const rw of prometheus.spec.remoteWrite) expect(rw.headers['X-Scope-OrgID']).toBe(tenant);
  });
});

test('the wiring list is not empty: charts declare their connections', () => {
  expect(allManifests().filter((m) => m.object.kind === 'NetworkPolicy').length).toBeGreaterThan(2);
});
