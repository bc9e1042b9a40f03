import { Testing } from 'cdk8s';
import { ServiceRef } from '../../lib/common/endpoints';
import { parseQuantity } from '../../lib/common/resources';
import { StackWiring } from '../../lib/common/wiring';
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum, podTemplate } from '../../lib/common/workload';
import { StackNamespaces } from '../../lib/namespaces/namespaces';
import { StackNetworkPolicies } from '../../lib/network-policies/network-policies';

const pods = (name: string, namespace = 'obs') => ({ name, namespace, podLabels: { 'app.kubernetes.io/name': name } });

describe('ServiceRef and Endpoint', () => {
  const chart = Testing.chart();
  const service = new ServiceRef(chart, 'svc', { name: 'loki', namespace: 'obs', labels: { a: 'b' }, pods: pods('loki'), ports: [{ name: 'http', port: 3100, targetPort: 'http-metrics' }] });

  test('endpoints come from the Service that is rendered', () => {
    const endpoint = service.endpoint('http');
    expect(endpoint.url('/loki/api/v1/push')).toBe('http://loki.obs.svc:3100/loki/api/v1/push');
    expect(endpoint.targetPort).toBe('http-metrics');
    const rendered = Testing.synth(chart).find((o) => o.kind === 'Service');
    expect(rendered.spec.ports[0]).toMatchObject({ name: 'http', port: 3100, targetPort: 'http-metrics' });
  });

  test('asking for a port the Service does not have is an error naming the ports it has', () => {
    expect(() => service.endpoint('grpc')).toThrow('Service "loki" has no port named "grpc"; it has: http');
  });

  test('a path must be absolute', () => {
    expect(() => service.endpoint('http').url('ready')).toThrow(/must start with/);
  });
});

describe('pod template', () => {
  const template = podTemplate({
    identity: { name: 'x', instance: 'x', component: 'c', image: 'prometheus' },
    runAsUser: 1000,
    configChecksum: configChecksum('a: 1'),
    containers: [{ name: 'x', image: 'prometheus', resources: { cpuRequest: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' }, readinessProbe: {}, livenessProbe: {} }],
  });

  test('a config change changes the pod template, so the pods roll', () => {
    expect(template.metadata!.annotations![CONFIG_CHECKSUM_ANNOTATION]).toBe(configChecksum('a: 1'));
    expect(configChecksum('a: 1')).not.toBe(configChecksum('a: 2'));
  });

  test('pods get no API token unless they ask for one', () => {
    expect(template.spec!.automountServiceAccountToken).toBe(false);
  });
});

describe('parseQuantity', () => {
  test.each([
    ['250m', 0.25],
    ['2', 2],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1e3', 1000],
  ])('%s', (q, value) => expect(parseQuantity(q)).toBeCloseTo(value));

  test.each(['', 'lots', '1GB', '1.2.3', 'Mi'])('rejects %j', (q) => expect(parseQuantity(q)).toBeUndefined());
});

describe('StackNamespaces', () => {
  const chart = Testing.chart();
  new StackNamespaces(chart, 'ns', { platform: 'obs', nodeAgents: 'obs-agents' });
  const objects = Testing.synth(chart);

  test('the platform namespace enforces "restricted"; the node-agent one is the only exception', () => {
    const level = (name: string) => objects.find((o) => o.kind === 'Namespace' && o.metadata.name === name).metadata.labels['pod-security.kubernetes.io/enforce'];
    expect(level('obs')).toBe('restricted');
    expect(level('obs-agents')).toBe('privileged');
  });

  test('both namespaces deny all ingress by default', () => {
    const denies = objects.filter((o) => o.kind === 'NetworkPolicy' && Object.keys(o.spec.podSelector).length === 0);
    expect(denies.map((d) => d.metadata.namespace).sort()).toEqual(['obs', 'obs-agents']);
    for (const d of denies) expect(d.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });
});

describe('StackNetworkPolicies', () => {
  test('one policy per target, allowing each declared client on its ports only', () => {
    const wiring = new StackWiring();
    wiring.connect({ from: pods('grafana'), to: pods('loki'), ports: ['http'], purpose: 'query logs' });
    wiring.connect({ from: pods('alloy', 'agents'), to: pods('loki'), ports: ['http'], purpose: 'push logs' });
    const chart = Testing.chart();
    new StackNetworkPolicies(chart, 'np', { connections: wiring.connections });
    const [policy, ...rest] = Testing.synth(chart);
    expect(rest).toEqual([]);
    expect(policy.metadata.name).toBe('allow-ingress-to-loki');
    expect(policy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'obs' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'agents' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alloy' } } }], ports: [{ port: 'http', protocol: 'TCP' }] },
    ]);
  });

  test('host-network scrape targets get no policy: NetworkPolicy cannot apply to them', () => {
    const wiring = new StackWiring();
    wiring.addScraper(pods('prometheus'));
    wiring.addScrapeTarget({ pods: pods('node-exporter'), ports: ['metrics'], hostNetwork: true });
    expect(wiring.connections).toEqual([]);
  });

  test('a connection without ports is refused', () => {
    expect(() => new StackWiring().connect({ from: pods('a'), to: pods('b'), ports: [], purpose: 'x' })).toThrow(/'ports' must not be empty/);
  });
});
