import * as fs from 'fs';
import * as path from 'path';
import { loadAll, YAML11_SCHEMA } from 'js-yaml';
import { CRD_ANNOTATIONS, PROMETHEUS_OPERATOR_CRD_DIR } from '../lib/crds/crds';
import { IMAGES } from '../lib/common/images';
import { allManifests, describeObject, synthesizedStack } from './support/manifests';
import { allContainers, renderedPods } from './support/pods';

const manifests = allManifests();
const environments = [...synthesizedStack().byEnv.entries()];
const STANDARD_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/version', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];
const own = manifests.filter((m) => m.object.kind !== 'CustomResourceDefinition');
const waveOf = (o: any) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');

describe('names', () => {
  test('every object has an explicit, human name without a generated hash suffix', () => {
    for (const m of manifests) {
      expect(m.object.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      // cdk8s appends "-<8 hex>" to names it generates.
      expect(`${describeObject(m)} ${/-[0-9a-f]{8}$/.test(m.object.metadata.name)}`).toBe(`${describeObject(m)} false`);
    }
  });

  test('no two objects of one kind share a name in a namespace', () => {
    for (const [, list] of environments) {
      const keys = list.map((m) => `${m.object.apiVersion}/${m.object.kind}/${m.object.metadata.namespace ?? ''}/${m.object.metadata.name}`);
      expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    }
  });

  test('every namespaced object names a namespace the stack renders (or a system one it reads)', () => {
    for (const [, list] of environments) {
      const namespaces = list.filter((m) => m.object.kind === 'Namespace').map((m) => m.object.metadata.name);
      const clusterScoped = ['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition'];
      for (const m of list.filter((x) => !clusterScoped.includes(x.object.kind))) {
        expect({ object: describeObject(m), known: namespaces.includes(m.object.metadata.namespace) }).toEqual({ object: describeObject(m), known: true });
      }
    }
  });
});

describe('labels', () => {
  test('every component object carries the standard app.kubernetes.io labels', () => {
    const stackWide = ['Namespace', 'NetworkPolicy', 'ResourceQuota'];
    for (const m of own.filter((x) => !stackWide.includes(x.object.kind))) {
      const labels = m.object.metadata.labels ?? {};
      expect({ object: describeObject(m), missing: STANDARD_LABELS.filter((l) => !(l in labels)) }).toEqual({ object: describeObject(m), missing: [] });
    }
  });

  test('the version label equals the image tag the pods run', () => {
    for (const pod of renderedPods(manifests).filter((p) => !p.modelledFrom)) {
      const image = allContainers(pod.spec)[0].image as string;
      expect(pod.labels['app.kubernetes.io/version']).toBe(image.slice(image.lastIndexOf(':') + 1).replace(/^v/, ''));
    }
  });
});

describe('containers', () => {
  const pods = renderedPods(manifests).filter((p) => !p.modelledFrom);

  test('every container requests CPU and memory and has a memory limit', () => {
    for (const pod of pods) {
      for (const c of allContainers(pod.spec)) {
        expect({ c: `${describeObject(pod.source)} ${c.name}`, cpu: !!c.resources?.requests?.cpu, mem: !!c.resources?.requests?.memory, limit: !!c.resources?.limits?.memory })
          .toEqual({ c: `${describeObject(pod.source)} ${c.name}`, cpu: true, mem: true, limit: true });
      }
    }
  });

  test('every container has readiness and liveness probes on an HTTP endpoint of a named port', () => {
    for (const pod of pods) {
      for (const c of pod.spec.containers) {
        for (const probe of [c.readinessProbe, c.livenessProbe]) {
          expect(probe?.httpGet?.path).toMatch(/^\//);
          expect((c.ports ?? []).map((p: any) => p.name)).toContain(probe.httpGet.port);
        }
      }
    }
  });

  test('every image is pinned in lib/common/images.ts, by an immutable version tag', () => {
    const pinned = Object.values(IMAGES).map((i) => `${i.repository}:${i.tag}`);
    for (const pod of pods) for (const c of allContainers(pod.spec)) expect(pinned).toContain(c.image);
    for (const i of Object.values(IMAGES)) expect(i.tag).toMatch(/^v?\d+\.\d+\.\d+$/);
    const prometheus = manifests.find((m) => m.object.kind === 'Prometheus')!.object;
    expect(pinned).toContain(prometheus.spec.image);
  });

  test('container port names are valid IANA service names (at most 15 characters)', () => {
    for (const pod of pods) {
      for (const c of allContainers(pod.spec)) {
        for (const p of c.ports ?? []) expect(p.name).toMatch(/^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/);
      }
    }
  });

  test('images are pulled only when missing (tags are immutable)', () => {
    for (const pod of pods) for (const c of allContainers(pod.spec)) expect(c.imagePullPolicy).toBe('IfNotPresent');
  });
});

describe('GitOps: plain declarative objects, in a safe apply order', () => {
  test('no install hooks, Jobs or bare Pods: every sync converges to the same state', () => {
    const oneShot = manifests.filter((m) => ['Job', 'CronJob', 'Pod'].includes(m.object.kind));
    expect(oneShot.map(describeObject)).toEqual([]);
    for (const m of manifests) {
      const annotations = Object.keys(m.object.metadata.annotations ?? {});
      expect(annotations.filter((a) => a.startsWith('helm.sh/hook') || a === 'argocd.argoproj.io/hook')).toEqual([]);
    }
  });

  test('namespaces come first, then CRDs, then the operator, then everything that uses them', () => {
    for (const [, list] of environments) {
      const wave = (kind: string) => list.filter((m) => m.object.kind === kind).map((m) => waveOf(m.object));
      const maxOf = (xs: number[]) => Math.max(...xs);
      const minOf = (xs: number[]) => Math.min(...xs);
      expect(maxOf(wave('Namespace'))).toBeLessThan(minOf(wave('CustomResourceDefinition')));
      const customResources = list.filter((m) => m.object.apiVersion.startsWith('monitoring.coreos.com/'));
      expect(maxOf(wave('CustomResourceDefinition'))).toBeLessThan(minOf(customResources.map((m) => waveOf(m.object))));
      const operator = list.filter((m) => m.file === '10-prometheus-operator.yaml' && m.object.kind === 'Deployment');
      expect(waveOf(operator[0].object)).toBeLessThan(waveOf(list.find((m) => m.object.kind === 'Prometheus')!.object));
    }
  });

  test('CRDs and namespaces sit in setup/, applied before the rest with `kubectl apply -f`', () => {
    for (const m of manifests.filter((x) => ['CustomResourceDefinition', 'Namespace'].includes(x.object.kind))) expect(m.file.startsWith('setup/')).toBe(true);
    for (const m of manifests.filter((x) => !['CustomResourceDefinition', 'Namespace'].includes(x.object.kind) && x.file.startsWith('setup/'))) {
      // Only namespace-wide settings join them: default-deny ingress and the node agents' quota.
      expect(['NetworkPolicy', 'ResourceQuota']).toContain(m.object.kind);
    }
  });

  test('CRDs are applied server-side: they exceed the client-side annotation limit', () => {
    const largest = Math.max(...manifests.filter((m) => m.object.kind === 'CustomResourceDefinition').map((m) => JSON.stringify(m.object).length));
    expect(largest).toBeGreaterThan(262144);
    for (const m of manifests.filter((x) => x.object.kind === 'CustomResourceDefinition')) {
      expect(m.object.metadata.annotations['argocd.argoproj.io/sync-options']).toMatch(/ServerSideApply=true/);
    }
  });
});

describe('the CRDs in dist/ are the vendored upstream CRDs, unchanged but for annotations', () => {
  const vendored = fs.readdirSync(PROMETHEUS_OPERATOR_CRD_DIR).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => (loadAll(fs.readFileSync(path.join(PROMETHEUS_OPERATOR_CRD_DIR, f), 'utf8')) as any[])[0]);

  test.each(environments)('%s', (_, list) => {
    const rendered = list.filter((m) => m.object.kind === 'CustomResourceDefinition' && m.object.spec.group === 'monitoring.coreos.com').map((m) => m.object);
    expect(rendered.map((c) => c.metadata.name)).toEqual(vendored.map((c) => c.metadata.name));
    rendered.forEach((crd, i) => {
      const expected = structuredClone(vendored[i]);
      expected.metadata.annotations = { ...CRD_ANNOTATIONS, ...expected.metadata.annotations };
      expect(crd).toEqual(expected);
    });
  });

  test('they are the v0.93.1 CRDs that match the pinned operator', () => {
    for (const crd of vendored) expect(crd.metadata.annotations['operator.prometheus.io/version']).toBe(IMAGES.prometheusOperator.tag.slice(1));
  });
});

describe('YAML is read the same by Kubernetes (YAML 1.1) as by us', () => {
  test.each([...synthesizedStack().files.keys()].filter((f) => !f.endsWith('crds.yaml')))('%s', (file) => {
    const content = synthesizedStack().files.get(file)!;
    // e.g. an unquoted `on`, `yes` or `0755` would change type for a YAML 1.1 reader.
    expect(loadAll(content, { schema: YAML11_SCHEMA } as any)).toEqual(loadAll(content));
  });
});
