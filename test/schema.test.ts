import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { PROMETHEUS_OPERATOR_CRD_DIR } from '../lib/crds/crds';
import { compileCrdSchemas } from './support/crd-schema';
import { loadKubernetesSchema } from './support/k8s-schema';
import { allManifests, describeObject } from './support/manifests';

// The CRDs the project vendors (not ../shared: a user's clone has only the project).
const vendoredCrds = fs
  .readdirSync(PROMETHEUS_OPERATOR_CRD_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => loadAll(fs.readFileSync(path.join(PROMETHEUS_OPERATOR_CRD_DIR, f), 'utf8')) as any[]);
const kubernetes = loadKubernetesSchema();
const crds = compileCrdSchemas(vendoredCrds);
const manifests = allManifests();

describe('schema: every object in dist/ is valid for Kubernetes 1.28 and its CRDs', () => {
  test.each(manifests.map((m) => [describeObject(m), m] as const))('%s', (_, m) => {
    const { apiVersion, kind } = m.object;
    let errors: string[];
    if (kubernetes.knows(apiVersion, kind)) {
      errors = kubernetes.validate(m.object);
    } else if (crds.knows(apiVersion, kind)) {
      // The CRD schema leaves metadata open; it must still be a valid ObjectMeta.
      errors = [
        ...crds.validate(m.object),
        ...kubernetes.validateDefinition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', m.object.metadata).map((e) => `metadata${e}`),
      ];
    } else {
      errors = [`${apiVersion}/${kind} is neither a Kubernetes 1.28 kind nor a vendored CRD`];
    }
    expect(errors).toEqual([]);
  });
});

describe('schema validators reject what the API server would reject', () => {
  const deployment = manifests.find((m) => m.object.kind === 'Deployment')!.object;
  const monitor = manifests.find((m) => m.object.kind === 'ServiceMonitor')!.object;

  test('an unknown field in a core object is an error, not silently dropped', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(kubernetes.validate(broken).join('\n')).toMatch(/imagePullPolicyy/);
  });

  test('a wrong type in a core object is an error', () => {
    const broken = structuredClone(deployment);
    broken.spec.replicas = 'two';
    expect(kubernetes.validate(broken).join('\n')).toMatch(/replicas/);
  });

  test('a missing required field in a core object is an error', () => {
    const broken = structuredClone(deployment);
    delete broken.spec.selector;
    expect(kubernetes.validate(broken).join('\n')).toMatch(/selector/);
  });

  test('an unknown field in a custom resource is an error (the API server would prune it)', () => {
    const broken = structuredClone(monitor);
    broken.spec.endpoints[0].intervall = '30s';
    expect(crds.validate(broken).join('\n')).toMatch(/intervall/);
  });

  test('a value outside a CRD enum is an error', () => {
    const broken = structuredClone(monitor);
    broken.spec.endpoints[0].scheme = 'gopher';
    expect(crds.validate(broken).join('\n')).toMatch(/allowed values|must be equal/);
  });

  test('the vendored CRDs are themselves valid CustomResourceDefinitions', () => {
    for (const crd of vendoredCrds) expect(kubernetes.validate(crd)).toEqual([]);
  });
});
