import { load } from 'js-yaml';
import { DATASOURCE_UIDS } from '../lib/grafana/grafana';
import { CONFIG_FILE } from '../lib/common/database';
import { parseAlloy, ParsedComponent } from './support/alloy-parser';
import { Manifest, synthesizedStack } from './support/manifests';

/**
 * Every jump Grafana offers between signals (exemplar -> trace, log -> trace, trace -> logs,
 * metrics, profiles, service graph) names labels or fields. Each must be one that some
 * component of dist/ is configured to write, and nothing on the way may drop it: a link whose
 * label nobody writes renders fine and leads nowhere. Facts about what a producer writes are
 * those of its pinned version.
 */

/** Tempo 3.0.3 metrics-generator: exemplar label (modules/generator/registry/histogram.go) and series. */
const TEMPO_EXEMPLAR_LABEL = 'traceID';
const TEMPO_GENERATED = {
  'span-metrics': { metrics: ['traces_spanmetrics_calls_total', 'traces_spanmetrics_latency_bucket', 'traces_spanmetrics_size_total'], labels: ['service', 'span_name', 'span_kind', 'status_code'] },
  'service-graphs': { metrics: ['traces_service_graph_request_total', 'traces_service_graph_request_failed_total'], labels: ['client', 'server', 'connection_type'] },
} as const;
/** Alloy v1.18.1 otelcol.exporter.prometheus: an OTLP exemplar's trace ID becomes this label. */
const OTLP_EXEMPLAR_LABEL = 'trace_id';
/** Alloy v1.18.1 otelcol.processor.k8sattributes: resource attributes it adds by default. */
const K8SATTRIBUTES_DEFAULTS = ['k8s.namespace.name', 'k8s.pod.name', 'k8s.pod.uid', 'k8s.pod.start_time', 'k8s.deployment.name', 'k8s.node.name'];
/** Alloy v1.18.1 otelcol.exporter.loki: an OTLP log record as its JSON line (format "json"). */
const OTLP_LOG_LINE = (traceId: string) => `{"body":"GET /cart 200","traceid":"${traceId}","spanid":"00f067aa0ba902b7","severity":"Info"}`;

const environments = [...synthesizedStack().byEnv.entries()];
const unescape = (s: string) => s.replace(/\$\$/g, '$');

function configMapData(manifests: readonly Manifest[], name: string): Record<string, string> {
  return manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.name === name)?.object.data ?? {};
}

function backendConfigs(manifests: readonly Manifest[], app: string): any[] {
  return manifests
    .filter((m) => m.object.kind === 'ConfigMap' && m.object.metadata.labels?.['app.kubernetes.io/name'] === app && m.object.data?.[CONFIG_FILE])
    .map((m) => load(m.object.data[CONFIG_FILE]));
}

function components(manifests: readonly Manifest[], instance: string): ParsedComponent[] {
  const cm = manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.labels?.['app.kubernetes.io/instance'] === instance && m.object.data?.['config.alloy']);
  return parseAlloy(cm!.object.data['config.alloy']).components;
}

const find = (cs: readonly ParsedComponent[], name: string, label?: string) => cs.filter((c) => c.name === name && (label === undefined || c.label === label));
const blocks = (c: ParsedComponent, name: string) => c.blocks.filter((b) => b.name === name);

/** The labels a discovery.relabel component sets (dropping `__` ones, which never leave Alloy). */
function relabelTargets(c: ParsedComponent): string[] {
  return blocks(c, 'rule')
    .map((r) => r.attributes.target_label as string | undefined)
    .filter((l): l is string => !!l && !l.startsWith('__'));
}

/** Label names of a `{a="x", b="y"}` selector. */
const selectorLabels = (selector: string) => [...selector.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*=/g)].map((m) => m[1]);

describe.each(environments)('correlations in %s have producers', (_, manifests) => {
  const datasources: any[] = (load(configMapData(manifests, 'grafana-datasources')['datasources.yaml']) as any).datasources;
  const ds = (uid: string) => datasources.find((d) => d.uid === uid);
  const tempo = backendConfigs(manifests, 'tempo')[0];
  const node = components(manifests, 'alloy-node');
  const collector = components(manifests, 'alloy-collector');
  const processors: string[] = tempo.overrides?.defaults?.metrics_generator?.processors ?? [];

  test('every exemplar label Grafana links to a trace is one a producer writes, and every producer is linked', () => {
    const produced = new Set<string>();
    if (processors.length && tempo.metrics_generator?.storage?.remote_write?.every((w: any) => w.send_exemplars === true)) {
      produced.add(tempo.overrides?.defaults?.metrics_generator?.trace_id_label_name ?? TEMPO_EXEMPLAR_LABEL);
    }
    if (find(collector, 'otelcol.exporter.prometheus').length > 0) produced.add(OTLP_EXEMPLAR_LABEL);
    const linked = ds(DATASOURCE_UIDS.metrics).jsonData.exemplarTraceIdDestinations.map((d: any) => d.name);
    expect([...linked].sort()).toEqual([...produced].sort());
    for (const d of ds(DATASOURCE_UIDS.metrics).jsonData.exemplarTraceIdDestinations) expect(d.datasourceUid).toBe(DATASOURCE_UIDS.traces);
  });

  test('nothing on the way drops an exemplar: every writer sends them and the store keeps them', () => {
    for (const mimir of backendConfigs(manifests, 'mimir')) expect(mimir.limits.max_global_exemplars_per_user).toBeGreaterThan(0);
    const prometheus = manifests.find((m) => m.object.kind === 'Prometheus')!.object;
    expect(prometheus.spec.enableFeatures).toContain('exemplar-storage');
    for (const rw of prometheus.spec.remoteWrite) expect(rw.sendExemplars).toBe(true);
    for (const cs of [node, collector]) {
      for (const rw of find(cs, 'prometheus.remote_write')) for (const e of blocks(rw, 'endpoint')) expect(e.attributes.send_exemplars).toBe(true);
    }
    for (const w of tempo.metrics_generator?.storage?.remote_write ?? []) expect(w.send_exemplars).toBe(true);
  });

  test('a span finds its logs: the mapped labels are on every application log stream, from attributes spans carry', () => {
    const tags: { key: string; value: string }[] = ds(DATASOURCE_UIDS.traces).jsonData.tracesToLogsV2.tags;
    // Pod logs: the labels the node agent's discovery sets, less those its pipeline drops.
    const dropped = find(node, 'loki.process', 'pod_logs').flatMap((p) => blocks(p, 'stage.label_drop').flatMap((b) => b.attributes.values as string[]));
    const podLogLabels = relabelTargets(find(node, 'discovery.relabel', 'pod_logs')[0]).filter((l) => !dropped.includes(l));
    // OTLP logs: the resource attributes the collector names in otelcol.exporter.loki's hint.
    const hint = find(collector, 'otelcol.processor.transform')
      .flatMap((t) => blocks(t, 'log_statements').flatMap((b) => b.attributes.statements as string[]))
      .map((st) => /set\(attributes\["loki\.resource\.labels"\], "([^"]+)"\)/.exec(st)?.[1])
      .find((h) => h !== undefined);
    const otlpLogLabels = (hint ?? '').split(',').map((l) => l.trim()).filter(Boolean);
    for (const { key, value } of tags) {
      expect({ tag: key, onPodLogs: podLogLabels.includes(value), onOtlpLogs: otlpLogLabels.includes(value), spansCarryIt: K8SATTRIBUTES_DEFAULTS.includes(key) }).toEqual({
        tag: key,
        onPodLogs: true,
        onOtlpLogs: true,
        spansCarryIt: true,
      });
    }
  });

  test('a span finds its pod\'s profiles: the correlation\'s labels are on every profile, from attributes spans carry', () => {
    const correlation = ds(DATASOURCE_UIDS.traces).correlations.find((c: any) => c.targetUID === DATASOURCE_UIDS.profiles);
    const selector = unescape(correlation.config.target.labelSelector);
    const attributes = [...selector.matchAll(/__span\.tags\["([^"]+)"\]/g)].map((m) => m[1]);
    for (const relabel of [find(node, 'discovery.relabel', 'ebpf')[0], find(node, 'discovery.relabel', 'annotated_pprof')[0]]) {
      const labels = relabelTargets(relabel);
      for (const label of selectorLabels(selector)) expect({ relabel: relabel.label, label, set: labels.includes(label) }).toEqual({ relabel: relabel.label, label, set: true });
    }
    for (const a of attributes) expect(K8SATTRIBUTES_DEFAULTS).toContain(a);
    // The SDK span-profile link maps service.name onto the label every profile carries.
    for (const { value } of ds(DATASOURCE_UIDS.traces).jsonData.tracesToProfiles.tags) expect(relabelTargets(find(node, 'discovery.relabel', 'ebpf')[0])).toContain(value);
  });

  test('a span finds its metrics, and the service map its graph: series the metrics-generator writes', () => {
    const jsonData = ds(DATASOURCE_UIDS.traces).jsonData;
    expect(processors).toEqual(expect.arrayContaining(['span-metrics', 'service-graphs']));
    for (const { query } of jsonData.tracesToMetrics.queries) {
      const q = unescape(query);
      const metrics = [...q.matchAll(/([a-z_]+)\{/g)].map((m) => m[1]);
      for (const metric of metrics) expect(TEMPO_GENERATED['span-metrics'].metrics).toContain(metric);
      for (const label of selectorLabels(q.replace(/\$__tags/g, ''))) expect(TEMPO_GENERATED['span-metrics'].labels).toContain(label);
    }
    for (const { value } of jsonData.tracesToMetrics.tags) expect(TEMPO_GENERATED['span-metrics'].labels).toContain(value);
    expect(jsonData.serviceMap.datasourceUid).toBe(DATASOURCE_UIDS.metrics);
  });

  test('a log line links to its trace in the forms applications and the collector write trace IDs', () => {
    const field = ds(DATASOURCE_UIDS.logs).jsonData.derivedFields[0];
    const id = '4bf92f3577b34da6a3ce929d0e0e4736';
    for (const line of [OTLP_LOG_LINE(id), `level=info trace_id=${id} msg=ok`, `{"traceId":"${id}"}`, `traceID: ${id}`]) {
      expect({ line, found: new RegExp(field.matcherRegex).exec(line)?.[1] }).toEqual({ line, found: id });
    }
  });
});
