import * as fs from 'fs';
import * as path from 'path';
import { load } from 'js-yaml';
import { COLLECTOR_RECEIVER_PORTS, SCRAPE_ANNOTATIONS } from '../../lib/alloy/alloy';
import { loadKubernetesSchema } from '../support/k8s-schema';
import { synthesizedStack } from '../support/manifests';

// The documented example must keep working: it names the collector's Service, port and annotations.
const example = load(fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'examples', 'instrumented-app.yaml'), 'utf8')) as any;
const env = Object.fromEntries(example.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));

test('is a valid Kubernetes object', () => {
  expect(loadKubernetesSchema().validate(example)).toEqual([]);
});

test('sends OTLP to the collector Service and port that dist/ renders', () => {
  const endpoint = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const [service, namespace] = endpoint.hostname.split('.');
  for (const [, manifests] of synthesizedStack().byEnv) {
    const svc = manifests.find((m) => m.object.kind === 'Service' && m.object.metadata.name === service && m.object.metadata.namespace === namespace);
    expect(svc).toBeDefined();
    expect(svc!.object.spec.ports.map((p: any) => p.port)).toContain(Number(endpoint.port));
  }
  expect(Number(endpoint.port)).toBe(COLLECTOR_RECEIVER_PORTS['otlp-http']);
});

test('uses the annotations the node agent reads', () => {
  const annotations = example.spec.template.metadata.annotations;
  expect(annotations[SCRAPE_ANNOTATIONS.metrics]).toBe('true');
  expect(annotations[SCRAPE_ANNOTATIONS.profiles]).toBe('true');
  const ports = example.spec.template.spec.containers[0].ports.map((p: any) => p.name);
  expect(ports).toContain(annotations[SCRAPE_ANNOTATIONS.profilesPort]);
});
