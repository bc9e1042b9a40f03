import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../../environments';
import { resolveStackConfig } from '../../lib/config/validate';
import { customPricingData, OPENCOST_INPUTS, OpenCostSource } from '../../lib/opencost/opencost';
import { synthesize } from '../../charts/synthesize';
import { synthesizedStack } from '../support/manifests';

const catalogDir = path.join(__dirname, '..', '..', 'lib', 'dashboards', 'catalog');
const catalogOf = (component: string): string[] => JSON.parse(fs.readFileSync(path.join(catalogDir, `${component}.json`), 'utf8')).metrics;

/** The ServiceMonitor (and its endpoint path) through which each source reaches the metrics store. */
const MONITORS: Record<OpenCostSource, { monitor: string; path: string }> = {
  'kube-state-metrics': { monitor: 'kube-state-metrics', path: '/metrics' },
  cadvisor: { monitor: 'kubelet', path: '/metrics/cadvisor' },
  kubelet: { monitor: 'kubelet', path: '/metrics' },
  'node-exporter': { monitor: 'node-exporter', path: '/metrics' },
  opencost: { monitor: 'opencost', path: '/metrics' },
};

function dropped(metric: string, endpoint: any): boolean {
  return (endpoint.metricRelabelings ?? []).some(
    (r: any) => r.action === 'drop' && (r.sourceLabels ?? []).join(';') === '__name__' && new RegExp(`^(?:${r.regex})$`).test(metric),
  );
}

describe.each([...synthesizedStack().byEnv.entries()])('OpenCost in %s', (env, manifests) => {
  const config = resolveStackConfig(ENVIRONMENTS.find((e) => e.environment === env)!);
  const deployment = manifests.find((m) => m.object.kind === 'Deployment' && m.object.metadata.name === 'opencost')!.object;
  const env_ = Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
  const monitor = (name: string) => manifests.find((m) => m.object.kind === 'ServiceMonitor' && m.object.metadata.name === name)?.object;

  test('reads the metrics store as the tenant, grouping by the stack\'s cluster label', () => {
    expect(env_.PROMETHEUS_SERVER_ENDPOINT).toMatch(/^http:\/\/mimir(-query-frontend)?\.observability\.svc:8080\/prometheus$/);
    expect(env_.PROMETHEUS_HEADER_X_SCOPE_ORGID).toBe(config.tenant);
    expect(env_.PROM_CLUSTER_ID_LABEL).toBe('cluster');
    expect(env_.CLUSTER_ID).toBe(config.clusterName);
  });

  // OpenCost assigns a pod to its Deployment, StatefulSet or Service by matching their selectors
  // against the pod's labels, and groups by namespace and node labels: kube-state-metrics 2.20
  // exports no `kube_<resource>_labels` series at all for a resource it is not told to.
  test.each([
    ['kube_pod_labels', 'pods'],
    ['kube_namespace_labels', 'namespaces'],
    ['kube_node_labels', 'nodes'],
  ])('%s carries the object labels OpenCost matches on (kube-state-metrics exports %s labels)', (metric, resource) => {
    expect(OPENCOST_INPUTS[metric]).toBe('kube-state-metrics');
    const ksm = manifests.find((m) => m.object.kind === 'Deployment' && m.object.metadata.name === 'kube-state-metrics')!.object;
    const allowlist = ksm.spec.template.spec.containers[0].args.find((a: string) => a.startsWith('--metric-labels-allowlist='));
    expect(allowlist).toBeDefined();
    const resources = Object.fromEntries([...allowlist.slice(allowlist.indexOf('=') + 1).matchAll(/([a-z]+)=\[([^\]]*)\]/g)].map((m) => [m[1], m[2]]));
    expect({ resource, labels: resources[resource] }).toEqual({ resource, labels: '*' });
  });

  test.each(Object.entries(OPENCOST_INPUTS))('%s (from %s) is exposed, scraped and kept', (metric, source) => {
    // The exporter at its pinned version exposes it...
    const catalog = source === 'opencost' ? 'opencost' : source;
    expect(catalogOf(catalog)).toContain(metric);
    // ...a monitor in dist/ scrapes that exporter's endpoint...
    const m = monitor(MONITORS[source].monitor);
    expect(m).toBeDefined();
    const endpoint = m.spec.endpoints.find((e: any) => (e.path ?? '/metrics') === MONITORS[source].path);
    expect(endpoint).toBeDefined();
    // ...and no drop rule of that endpoint discards it.
    expect(dropped(metric, endpoint)).toBe(false);
  });

  test('the UI proxies /model/ to the API Service, which exists with that port', () => {
    const nginx: string = manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === 'opencost-ui')!.object.data['default.nginx.conf'];
    const [, host, port] = /server ([a-z0-9.-]+):(\d+);/.exec(nginx)!;
    const [service, namespace] = host.split('.');
    const api = manifests.find((m) => m.object.kind === 'Service' && m.object.metadata.name === service && m.object.metadata.namespace === namespace);
    expect(api!.object.spec.ports.map((p: any) => p.port)).toContain(Number(port));
    expect(nginx).toContain('location /model/ {\n    proxy_pass http://model/;');
  });

  test('the UI runs with a read-only root: its web root is a copy on a volume the entrypoint may rewrite', () => {
    const ui = manifests.find((m) => m.object.kind === 'Deployment' && m.object.metadata.name === 'opencost-ui')!.object.spec.template.spec;
    const copy = ui.initContainers[0];
    expect(copy.command.join(' ')).toContain('cp -R /var/www/. /web/');
    expect(copy.volumeMounts).toContainEqual({ name: 'web', mountPath: '/web' });
    expect(ui.containers[0].volumeMounts).toContainEqual({ name: 'web', mountPath: '/var/www' });
    expect(ui.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(ui.volumes).toContainEqual({ name: 'web', emptyDir: {} });
  });

  test('the copies of kube-state-metrics series OpenCost also emits are dropped, so sums do not double', () => {
    const endpoint = monitor('opencost').spec.endpoints[0];
    for (const metric of ['kube_node_status_capacity', 'kube_node_status_allocatable', 'kube_pod_labels', 'kube_pod_owner', 'kube_namespace_labels']) {
      expect(dropped(metric, endpoint)).toBe(true);
    }
  });
});

describe('custom pricing', () => {
  test('hourly and monthly prices become the monthly figures OpenCost divides by 730', () => {
    const data = customPricingData({ provider: 'custom', cpuCoreHour: 0.05, ramGibHour: 0.01, storageGibMonth: 0.1, gpuHour: 2, currency: 'EUR' });
    expect(data).toMatchObject({ provider: 'custom', CPU: '36.5', RAM: '7.3', GPU: '1460', storage: '0.1', currencyCode: 'EUR' });
    expect(Number(data.CPU) / 730).toBeCloseTo(0.05, 12);
  });
});

describe('opencost.enabled: false', () => {
  const files = synthesize([{ environment: 'lean', clusterName: 'lean', opencost: { enabled: false } }]);

  test('leaves out OpenCost, its dashboard and every policy that admits it', () => {
    expect([...files.keys()]).not.toContain('lean/60-opencost.yaml');
    const grafana = files.get('lean/50-grafana.yaml')!;
    expect(grafana).not.toContain('k8s-cost');
    expect(files.get('lean/90-network-policies.yaml')).not.toContain('opencost');
  });
});
