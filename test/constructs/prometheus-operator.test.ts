import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { loadAll } from 'js-yaml';
import { IMAGES } from '../../lib/common/images';
import { StackWiring } from '../../lib/common/wiring';
import { PROMETHEUS_OPERATOR_CRD_DIR } from '../../lib/crds/crds';
import { KUBELET_SERVICE } from '../../lib/kubernetes-monitors/external-services';
import { PrometheusOperator } from '../../lib/prometheus-operator/prometheus-operator';

function render() {
  const chart = Testing.chart();
  const operator = new PrometheusOperator(chart, 'operator', { namespace: 'obs', wiring: new StackWiring(), kubeletService: KUBELET_SERVICE });
  const objects = Testing.synth(chart);
  const deployment = objects.find((o) => o.kind === 'Deployment');
  return { operator, objects, deployment, args: deployment.spec.template.spec.containers[0].args as string[] };
}

describe('PrometheusOperator', () => {
  test('maintains the kubelet Service that the kubelet ServiceMonitor selects', () => {
    expect(render().args).toContain(`--kubelet-service=${KUBELET_SERVICE.namespace}/${KUBELET_SERVICE.name}`);
  });

  test('runs the config reloader of its own release', () => {
    const reloader = IMAGES.prometheusConfigReloader;
    expect(render().args).toContain(`--prometheus-config-reloader=${reloader.repository}:${reloader.tag}`);
    expect(reloader.tag).toBe(IMAGES.prometheusOperator.tag);
  });

  test('runs exactly one replica: the operator has no leader election', () => {
    const { deployment } = render();
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy.type).toBe('Recreate');
  });

  test('may manage every kind of the CRDs it ships with', () => {
    const crds = fs.readdirSync(PROMETHEUS_OPERATOR_CRD_DIR).map((f) => (loadAll(fs.readFileSync(path.join(PROMETHEUS_OPERATOR_CRD_DIR, f), 'utf8')) as any[])[0]);
    const role = render().objects.find((o) => o.kind === 'ClusterRole');
    const monitoring = role.rules.find((r: any) => r.apiGroups.includes('monitoring.coreos.com'));
    for (const crd of crds) expect(monitoring.resources).toContain(crd.spec.names.plural);
  });

  test('may write EndpointSlices, since it publishes kubelets through them', () => {
    const { objects, args } = render();
    expect(args).toContain('--kubelet-endpointslice=true');
    const role = objects.find((o) => o.kind === 'ClusterRole');
    expect(role.rules).toContainEqual(expect.objectContaining({ apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: expect.arrayContaining(['create', 'update', 'delete']) }));
  });

  test('exposes its metrics endpoint', () => {
    expect(render().operator.metrics.url('/metrics')).toBe('http://prometheus-operator.obs.svc:8080/metrics');
  });
});
