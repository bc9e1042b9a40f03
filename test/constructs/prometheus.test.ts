import { Testing } from 'cdk8s';
import { Endpoint, HttpApi } from '../../lib/common/endpoints';
import { IMAGES } from '../../lib/common/images';
import { StackWiring } from '../../lib/common/wiring';
import { Prometheus, PrometheusProps } from '../../lib/prometheus/prometheus';

function render(props: Partial<PrometheusProps> = {}) {
  const chart = Testing.chart();
  const wiring = new StackWiring();
  const prometheus = new Prometheus(chart, 'prometheus', { namespace: 'obs', clusterName: 'c1', wiring, ...props });
  const objects = Testing.synth(chart);
  return { prometheus, wiring, objects, resource: objects.find((o) => o.kind === 'Prometheus') };
}

describe('Prometheus', () => {
  test('selects monitors and rules in every namespace: teams add a ServiceMonitor and are scraped', () => {
    const { resource } = render();
    for (const key of ['serviceMonitor', 'podMonitor', 'probe', 'scrapeConfig', 'rule']) {
      expect(resource.spec[`${key}Selector`]).toEqual({});
      expect(resource.spec[`${key}NamespaceSelector`]).toEqual({});
    }
  });

  test('runs the pinned image, and tells the operator that version', () => {
    const { resource } = render();
    expect(resource.spec.image).toBe(`${IMAGES.prometheus.repository}:${IMAGES.prometheus.tag}`);
    expect(resource.spec.version).toBe(IMAGES.prometheus.tag);
  });

  test('labels every series with the cluster, so one Mimir can hold many clusters', () => {
    expect(render({ clusterName: 'eu-1' }).resource.spec.externalLabels).toEqual({ cluster: 'eu-1' });
  });

  test('has no remote write until a metrics backend provides an endpoint', () => {
    expect(render().resource.spec.remoteWrite).toBeUndefined();
  });

  test('remote-writes to the endpoint it is given, as the tenant, and the wiring lets it through', () => {
    const backend = { name: 'metrics-backend', namespace: 'obs', podLabels: { app: 'backend' } };
    const endpoint = new Endpoint('backend', 'obs', 8080, 'http', 'http-api', backend);
    const { resource, wiring, prometheus } = render({ remoteWrite: { api: new HttpApi(endpoint, '/api/v1/push'), tenant: 'platform' } });
    expect(resource.spec.remoteWrite).toEqual([
      expect.objectContaining({ url: 'http://backend.obs.svc:8080/api/v1/push', headers: { 'X-Scope-OrgID': 'platform' } }),
    ]);
    expect(wiring.connections).toContainEqual({ from: prometheus.pods, to: backend, ports: ['http-api'], purpose: 'remote write' });
  });

  test('keeps exemplars and sends them, and retries when the store says "slow down" instead of dropping samples', () => {
    const endpoint = new Endpoint('backend', 'obs', 8080, 'http', 'http', { name: 'b', namespace: 'obs', podLabels: { app: 'b' } });
    const { resource } = render({ remoteWrite: { api: new HttpApi(endpoint, '/api/v1/push') } });
    expect(resource.spec.enableFeatures).toContain('exemplar-storage');
    expect(resource.spec.exemplars.maxSize).toBeGreaterThan(0);
    expect(resource.spec.remoteWrite[0]).toMatchObject({ sendExemplars: true, queueConfig: { retryOnRateLimit: true } });
    // More connections than distributors: a ClusterIP balances connections, not requests.
    expect(resource.spec.remoteWrite[0].queueConfig.minShards).toBeGreaterThanOrEqual(6);
  });

  test('labels replicas the way the metrics store de-duplicates them', () => {
    const backend = { name: 'b', namespace: 'obs', podLabels: { app: 'b' } };
    const endpoint = new Endpoint('b', 'obs', 8080, 'http', 'http', backend);
    const { resource } = render({ clusterName: 'eu-1', remoteWrite: { api: new HttpApi(endpoint, '/push'), deduplication: { clusterLabel: 'ha_cluster', replicaLabel: '__replica__' } } });
    expect(resource.spec.externalLabels).toEqual({ ha_cluster: 'eu-1' });
    expect(resource.spec.replicaExternalLabelName).toBe('__replica__');
  });

  test('keeps its TSDB on a PersistentVolumeClaim of the configured size and class', () => {
    const { resource } = render({ storageSize: '42Gi', storageClassName: 'fast' });
    expect(resource.spec.storage.volumeClaimTemplate.spec).toMatchObject({ storageClassName: 'fast', resources: { requests: { storage: '42Gi' } } });
  });

  test('high availability: a PodDisruptionBudget and spreading across zones and nodes', () => {
    const { objects, resource } = render({ replicas: 2, highAvailability: true });
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/name': 'prometheus' }) } });
    expect(resource.spec.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  });

  test('without high availability, no PodDisruptionBudget blocks draining the only node', () => {
    const { objects, resource } = render();
    expect(objects.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    expect(resource.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('may read kubelet and cAdvisor metrics with its token', () => {
    const role = render().objects.find((o) => o.kind === 'ClusterRole');
    expect(role.rules.flatMap((r: any) => r.nonResourceURLs ?? [])).toEqual(expect.arrayContaining(['/metrics', '/metrics/cadvisor']));
    expect(role.rules.flatMap((r: any) => r.verbs)).not.toEqual(expect.arrayContaining(['create']));
  });

  test('registers itself as the scraper of every target in the wiring', () => {
    const { wiring, prometheus } = render();
    wiring.addScrapeTarget({ pods: { name: 'x', namespace: 'obs', podLabels: { a: 'b' } }, ports: ['metrics'], hostNetwork: false });
    expect(wiring.connections.filter((c) => c.to.name === 'x').map((c) => c.from)).toEqual([prometheus.pods]);
  });

  test('exposes its web endpoint from its own Service', () => {
    expect(render({ namespace: 'mon' }).prometheus.web.url('/api/v1/query')).toBe('http://prometheus.mon.svc:9090/api/v1/query');
  });
});
