import reference from '../../lib/alloy/component-reference.json';
import { COLLECTOR_RECEIVER_PORTS, NODE_AGENT_STATE_DIR, SCRAPE_ANNOTATIONS } from '../../lib/alloy/alloy';
import { ENVIRONMENTS } from '../../environments';
import { resolveStackConfig } from '../../lib/config/validate';
import { alloyProblems, alloyReferenceProblems, parseAlloy, ParsedComponent } from '../support/alloy-parser';
import { describeObject, Manifest, synthesizedStack } from '../support/manifests';
import { allContainers, renderedPods } from '../support/pods';

const environments = [...synthesizedStack().byEnv.entries()];

function alloyConfigs(manifests: readonly Manifest[]): { m: Manifest; text: string; instance: string }[] {
  return manifests
    .filter((m) => m.object.kind === 'ConfigMap' && m.object.data?.['config.alloy'] !== undefined)
    .map((m) => ({ m, text: m.object.data['config.alloy'] as string, instance: m.object.metadata.labels['app.kubernetes.io/instance'] }));
}

/** Components by `name.label`. */
function index(text: string): Map<string, ParsedComponent> {
  return new Map(parseAlloy(text).components.map((c) => [`${c.name}.${c.label}`, c]));
}

/** Every reference (as `name.label`) that a component's attributes contain, however nested. */
function referencedComponents(component: ParsedComponent, known: Map<string, ParsedComponent>): string[] {
  const refs: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if ('ref' in (v as any)) {
        const r = (v as any).ref as string;
        const id = [...known.keys()].find((k) => r.startsWith(`${k}.`));
        if (id) refs.push(id);
      } else Object.values(v).forEach(walk);
    }
  };
  walk(component.attributes);
  component.blocks.forEach((b) => refs.push(...referencedComponents(b, known)));
  return refs;
}

/** The components a signal flows through, from `start` (following forward_to/output/targets links forward). */
function downstream(text: string, start: string): string[] {
  const known = index(text);
  // Edges go from a component to those it references in forward_to / output (data flows that way).
  const edges = new Map<string, string[]>();
  for (const [id, c] of known) {
    const outputs = [c.attributes.forward_to, ...c.blocks.filter((b) => b.name === 'output').map((b) => b.attributes)];
    edges.set(id, referencedComponents({ ...c, attributes: { outputs } as any, blocks: [] }, known));
    // An exporter's client may reference an auth handler; that is not a data edge.
  }
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length) for (const next of edges.get(queue.shift()!) ?? []) if (!seen.has(next)) (seen.add(next), queue.push(next));
  return [...seen];
}

describe.each(environments)('Alloy in %s', (env, manifests) => {
  const config = resolveStackConfig(ENVIRONMENTS.find((e) => e.environment === env)!);
  const configs = alloyConfigs(manifests);
  const node = configs.find((c) => c.instance === 'alloy-node')!;
  const collector = configs.find((c) => c.instance === 'alloy-collector')!;
  const url = (text: string, component: string) => JSON.stringify(index(text).get(component));

  test('both workloads have a configuration', () => {
    expect(configs.map((c) => c.instance).sort()).toEqual(['alloy-collector', 'alloy-node']);
  });

  test.each(['alloy-node', 'alloy-collector'])('%s: the configuration parses and every reference resolves', (instance) => {
    expect(alloyProblems(configs.find((c) => c.instance === instance)!.text)).toEqual([]);
  });

  test.each(['alloy-node', 'alloy-collector'])('%s: every component, argument, block and export exists in Alloy %s', (instance) => {
    expect(alloyReferenceProblems(configs.find((c) => c.instance === instance)!.text, reference.components)).toEqual([]);
  });

  test('every flag exists in the pinned Alloy, and the pinned image is the recorded version', () => {
    for (const pod of renderedPods(manifests).filter((p) => p.labels['app.kubernetes.io/name'] === 'alloy')) {
      const args: string[] = allContainers(pod.spec)[0].args;
      for (const flag of args.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0])) expect(reference.runFlags).toContain(flag);
      expect(allContainers(pod.spec)[0].image).toBe(`docker.io/grafana/alloy:v${reference.version}`);
    }
  });

  describe('each signal has its path, end to end', () => {
    test('pod logs: node agent tails files -> parses CRI lines -> Loki distributors, as the tenant', () => {
      const path = downstream(node.text, 'loki.source.file.pod_logs');
      expect(path).toEqual(['loki.source.file.pod_logs', 'loki.process.pod_logs', 'loki.write.default']);
      expect(url(node.text, 'loki.write.default')).toContain(`"tenant_id":"${config.tenant}"`);
      expect(url(node.text, 'loki.write.default')).toMatch(/http:\/\/loki(-distributor)?\.[a-z-]+\.svc:3100\/loki\/api\/v1\/push/);
    });

    test('OTLP spans: collector receives -> adds Kubernetes attributes -> batches -> Tempo, as the tenant', () => {
      const path = downstream(collector.text, 'otelcol.receiver.otlp.default');
      expect(path).toEqual(expect.arrayContaining(['otelcol.processor.k8sattributes.default', 'otelcol.processor.batch.default', 'otelcol.exporter.otlp.tempo']));
      // Through the headless Service, round-robin: a ClusterIP would pin each gRPC stream to one distributor.
      expect(url(collector.text, 'otelcol.exporter.otlp.tempo')).toMatch(/"endpoint":"dns:\/\/\/tempo(-distributor)?-headless\.[a-z-]+\.svc:4317","balancer_name":"round_robin"/);
      expect(url(collector.text, 'otelcol.auth.headers.tenant')).toContain(`"value":"${config.tenant}"`);
      for (const receiver of ['otelcol.receiver.jaeger.default', 'otelcol.receiver.zipkin.default']) {
        expect(downstream(collector.text, receiver)).toContain('otelcol.exporter.otlp.tempo');
      }
    });

    test('eBPF profiles: node agent -> Pyroscope distributors, as the tenant', () => {
      expect(downstream(node.text, 'pyroscope.ebpf.default')).toEqual(['pyroscope.ebpf.default', 'pyroscope.write.default']);
      expect(url(node.text, 'pyroscope.write.default')).toContain(`"X-Scope-OrgID":"${config.tenant}"`);
      expect(downstream(node.text, 'pyroscope.scrape.annotated')).toContain('pyroscope.write.default');
    });

    test('metrics: annotated pods (node agent) and OTLP metrics (collector) -> Mimir, as the tenant', () => {
      expect(downstream(node.text, 'prometheus.scrape.annotated')).toContain('prometheus.remote_write.default');
      expect(downstream(collector.text, 'otelcol.receiver.otlp.default')).toContain('prometheus.remote_write.default');
      for (const text of [node.text, collector.text]) expect(url(text, 'prometheus.remote_write.default')).toContain(`"X-Scope-OrgID":"${config.tenant}"`);
    });

    test('every writer labels what it sends with the cluster, as Prometheus does its own series', () => {
      const writers = [
        [node.text, 'loki.write.default'],
        [node.text, 'prometheus.remote_write.default'],
        [node.text, 'pyroscope.write.default'],
        [collector.text, 'loki.write.default'],
        [collector.text, 'prometheus.remote_write.default'],
      ];
      for (const [text, writer] of writers) expect(index(text).get(writer)!.attributes.external_labels).toEqual({ cluster: config.clusterName });
    });

    test('Kubernetes events: once per cluster (clustered, all namespaces) -> Loki', () => {
      const events = index(collector.text).get('loki.source.kubernetes_events.cluster')!;
      expect(events.attributes.namespaces).toBeUndefined();
      expect(events.blocks.find((b) => b.name === 'clustering')?.attributes).toEqual({ enabled: true });
      expect(downstream(collector.text, 'loki.source.kubernetes_events.cluster')).toContain('loki.write.default');
      const args: string[] = allContainers(renderedPods(manifests).find((p) => p.labels['app.kubernetes.io/instance'] === 'alloy-collector')!.spec)[0].args;
      expect(args).toContain('--cluster.enabled=true');
      expect(args.find((a) => a.startsWith('--cluster.join-addresses='))).toMatch(/alloy-collector-cluster\.[a-z-]+\.svc:12345$/);
    });
  });

  test('the node agent keeps its read positions on the node, so restarts neither lose nor repeat logs', () => {
    const pod = renderedPods(manifests).find((p) => p.labels['app.kubernetes.io/instance'] === 'alloy-node')!;
    const storage = allContainers(pod.spec)[0].args.find((a: string) => a.startsWith('--storage.path='))!.split('=')[1];
    const mount = allContainers(pod.spec)[0].volumeMounts.find((m: any) => m.mountPath === storage);
    const volume = pod.spec.volumes.find((v: any) => v.name === mount.name);
    expect(volume.hostPath).toEqual({ path: NODE_AGENT_STATE_DIR, type: 'DirectoryOrCreate' });
    expect(pod.source.object.kind).toBe('DaemonSet');
    expect(pod.spec.tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test('applications find one OTLP endpoint Service, open to every namespace', () => {
    const service = manifests.find((m) => m.object.kind === 'Service' && m.object.metadata.name === 'alloy-collector')!;
    for (const [name, port] of Object.entries(COLLECTOR_RECEIVER_PORTS)) expect(service.object.spec.ports).toContainEqual(expect.objectContaining({ name, port }));
    const policy = manifests.find((m) => m.object.kind === 'NetworkPolicy' && m.object.metadata.name === 'allow-cluster-to-alloy-collector')!;
    expect(policy.object.spec.ingress[0].from).toEqual([{ namespaceSelector: {} }]);
  });

  describe('division of labour with Prometheus: no target scraped twice', () => {
    test('the node agent scrapes no node, kubelet or cAdvisor endpoint (Prometheus does)', () => {
      const names = parseAlloy(node.text).components.map((c) => c.name);
      expect(names).not.toContain('prometheus.exporter.unix');
      expect(node.text).not.toMatch(/metrics\/cadvisor|:10250|:9100/);
    });

    test('Alloy scrapes only pods that opt in by annotation, and no pod of the stack does', () => {
      expect(node.text).toContain(`__meta_kubernetes_pod_annotation_${SCRAPE_ANNOTATIONS.metrics.replace(/[^A-Za-z0-9_]/g, '_')}`);
      const annotated = renderedPods(manifests).filter((p) => p.annotations[SCRAPE_ANNOTATIONS.metrics] === 'true').map((p) => describeObject(p.source));
      expect(annotated).toEqual([]);
    });
  });
});
