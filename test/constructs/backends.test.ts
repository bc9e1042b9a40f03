import { Testing } from 'cdk8s';
import { load } from 'js-yaml';
import { Endpoint, HttpApi } from '../../lib/common/endpoints';
import { CONFIG_FILE } from '../../lib/common/database';
import { StackWiring } from '../../lib/common/wiring';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../lib/common/workload';
import { applyDefaults } from '../../lib/config/stack-config';
import { Loki } from '../../lib/loki/loki';
import { Mimir } from '../../lib/mimir/mimir';
import { Pyroscope } from '../../lib/pyroscope/pyroscope';
import { Tempo, TEMPO_RECEIVER_PORTS } from '../../lib/tempo/tempo';
import { buildStack } from '../../charts/stack';

function synth(build: (chart: any, wiring: StackWiring) => unknown) {
  const chart = Testing.chart();
  const wiring = new StackWiring();
  const construct = build(chart, wiring);
  const objects = Testing.synth(chart);
  const configMap = objects.find((o) => o.kind === 'ConfigMap');
  const statefulSet = objects.find((o) => o.kind === 'StatefulSet');
  return { construct, wiring, objects, config: load(configMap.data[CONFIG_FILE]) as any, statefulSet, container: statefulSet.spec.template.spec.containers[0] };
}

describe('Mimir', () => {
  const { config, container, construct } = synth((chart, wiring) => new Mimir(chart, 'mimir', { namespace: 'obs', wiring, tenant: 'team-a', retention: '30d' }));
  const mimir = construct as Mimir;

  test('is multi-tenant, and its remote-write target carries the tenant', () => {
    expect(config.multitenancy_enabled).toBe(true);
    expect(mimir.remoteWrite.tenant).toBe('team-a');
    expect(mimir.remoteWrite.api.url()).toBe('http://mimir.obs.svc:8080/api/v1/push');
  });

  test('keeps one replica of each Prometheus pair: HA tracker on, labels announced to writers', () => {
    expect(config.distributor.ha_tracker.enable_ha_tracker).toBe(true);
    expect(config.limits).toMatchObject({ accept_ha_samples: true, ha_cluster_label: 'cluster', ha_replica_label: '__replica__' });
    expect(mimir.remoteWrite.deduplication).toEqual({ clusterLabel: 'cluster', replicaLabel: '__replica__' });
  });

  test('enforces the retention with its compactor', () => {
    expect(config.limits.compactor_blocks_retention_period).toBe('720h');
  });

  test('keeps blocks, rules and Alertmanager state apart, all on its volume', () => {
    const dirs = [config.blocks_storage.filesystem.dir, config.ruler_storage.filesystem.dir, config.alertmanager_storage.filesystem.dir];
    expect(new Set(dirs).size).toBe(3);
    const dataMount = container.volumeMounts.find((m: any) => m.name === 'data').mountPath;
    // Including the activity log, whose default (./metrics-activity.log) is on the read-only root.
    for (const dir of [...dirs, config.blocks_storage.tsdb.dir, config.compactor.data_dir, config.activity_tracker.filepath]) expect(dir.startsWith(`${dataMount}/`)).toBe(true);
  });

  test('serves a fallback Alertmanager configuration to tenants that uploaded none (else the ruler and Grafana get 404s)', () => {
    const { objects } = synth((chart, wiring) => new Mimir(chart, 'mimir', { namespace: 'obs', wiring, tenant: 'team-a' }));
    const data = objects.find((o) => o.kind === 'ConfigMap').data;
    const file = config.alertmanager.fallback_config_file as string;
    expect(file.startsWith(`${container.volumeMounts.find((m: any) => m.name === 'config').mountPath}/`)).toBe(true);
    const fallback = load(data[file.split('/').pop()!]) as any;
    expect(fallback.receivers.map((r: any) => r.name)).toContain(fallback.route.receiver);
  });

  test('keeps exemplars: Mimir\'s default limit of 0 would drop every one', () => {
    expect(config.limits.max_global_exemplars_per_user).toBeGreaterThan(0);
  });

  test('runs its Alertmanager too, for Grafana and the ruler', () => {
    expect(container.args).toContain('-target=all,alertmanager');
    expect(config.limits.ruler_alertmanager_client_config).toEqual({ alertmanager_url: 'http://localhost:8080/alertmanager', tls_enabled: false });
  });
});

describe('Loki', () => {
  const { config, statefulSet, container, objects } = synth((chart, wiring) => new Loki(chart, 'loki', { namespace: 'obs', wiring, retention: '7d' }));

  test('is multi-tenant: every writer and reader must name its tenant', () => {
    expect(config.auth_enabled).toBe(true);
  });

  test('enforces the retention with its compactor', () => {
    expect(config.compactor).toMatchObject({ retention_enabled: true, delete_request_store: 'filesystem' });
    expect(config.limits_config.retention_period).toBe('168h');
  });

  test('keeps its index schema start date fixed, whatever day it is rendered', () => {
    expect(config.schema_config.configs).toEqual([{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }]);
  });

  test('writes everything under its PersistentVolumeClaim', () => {
    const dataMount = container.volumeMounts.find((m: any) => m.name === 'data');
    expect(dataMount.mountPath).toBe(config.common.path_prefix);
    expect(statefulSet.spec.volumeClaimTemplates[0].metadata.name).toBe('data');
    for (const dir of [config.common.storage.filesystem.chunks_directory, config.compactor.working_directory]) expect(dir.startsWith(dataMount.mountPath)).toBe(true);
  });

  test('runs as the image user, and is ready only when /ready says so', () => {
    expect(statefulSet.spec.template.spec.securityContext.runAsUser).toBe(10001);
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 'http' });
    expect(container.args).toEqual(['-target=all', '-config.file=/etc/loki/config.yaml', '-config.expand-env=true']);
  });

  test('exposes its API on a Service that is scraped', () => {
    expect(objects.filter((o) => o.kind === 'ServiceMonitor').map((o) => o.spec.endpoints[0].port)).toEqual(['http']);
  });
});

describe('Tempo', () => {
  const mimirPods = { name: 'mimir', namespace: 'obs', podLabels: { app: 'mimir' } };
  const push = new Endpoint('mimir', 'obs', 8080, 'http', 'http', mimirPods);
  const { config, objects, wiring, construct } = synth(
    (chart, w) => new Tempo(chart, 'tempo', { namespace: 'obs', wiring: w, metricsRemoteWrite: { api: new HttpApi(push, '/api/v1/push'), tenant: 'platform' } }),
  );
  const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'tempo');

  test('receives OTLP, Jaeger and Zipkin on all interfaces, each port on its Service', () => {
    const r = config.distributor.receivers;
    expect(r.otlp.protocols.grpc.endpoint).toBe('0.0.0.0:4317');
    expect(r.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
    expect(r.jaeger.protocols.grpc.endpoint).toBe('0.0.0.0:14250');
    expect(r.jaeger.protocols.thrift_http.endpoint).toBe('0.0.0.0:14268');
    expect(r.zipkin.endpoint).toBe('0.0.0.0:9411');
    for (const [name, port] of Object.entries(TEMPO_RECEIVER_PORTS)) {
      expect(service.spec.ports).toContainEqual(expect.objectContaining({ name, port, targetPort: name }));
    }
  });

  test('turns spans into service-graph and span metrics, written to the metrics store as the trace tenant', () => {
    expect(config.metrics_generator.storage.remote_write).toEqual([{ url: 'http://mimir.obs.svc:8080/api/v1/push', send_exemplars: true }]);
    expect(config.metrics_generator.storage.remote_write_add_org_id_header).toBe(true);
    expect(config.overrides.defaults.metrics_generator.processors).toEqual(['service-graphs', 'span-metrics']);
    expect(wiring.connections).toContainEqual({ from: (construct as Tempo).pods, to: mimirPods, ports: ['http'], purpose: 'span metrics remote write' });
  });

  test('labels the generated series with the cluster, like every other series in the store', () => {
    const { config: labelled } = synth(
      (chart, w) =>
        new Tempo(chart, 'tempo', { namespace: 'obs', wiring: w, clusterName: 'eu-1', metricsRemoteWrite: { api: new HttpApi(push, '/api/v1/push'), tenant: 'platform' } }),
    );
    expect(labelled.metrics_generator.registry.external_labels).toEqual({ cluster: 'eu-1' });
    expect(config.metrics_generator.registry).toBeUndefined();
  });

  test('without a metrics store, no metrics-generator output', () => {
    const { config: plain } = synth((chart, w) => new Tempo(chart, 'tempo', { namespace: 'obs', wiring: w }));
    expect(plain.metrics_generator).toBeUndefined();
    expect(plain.overrides.defaults.metrics_generator).toBeUndefined();
  });

  test('is multi-tenant and keeps traces for the retention', () => {
    expect(config.multitenancy_enabled).toBe(true);
    expect(config.backend_worker.compaction.block_retention).toBe('336h');
  });
});

describe('Pyroscope', () => {
  const { config, container } = synth((chart, wiring) => new Pyroscope(chart, 'pyroscope', { namespace: 'obs', wiring, retention: '2d' }));

  test('runs the v2 storage architecture, multi-tenant, with retention', () => {
    expect(config).toMatchObject({ architecture_storage: 'v2', multitenancy_enabled: true, limits: { retention_period: '48h' } });
  });

  test('resolves its relative data paths on the volume', () => {
    expect(container.workingDir).toBe('/');
    expect(container.volumeMounts.find((m: any) => m.name === 'data').mountPath).toBe('/data');
  });
});

describe('a configuration change rolls exactly the pods that read it', () => {
  const checksums = (config: ReturnType<typeof applyDefaults>) => {
    const stack = buildStack(config);
    const sums: Record<string, string> = {};
    for (const file of stack.files) {
      for (const o of (file as any).objects?.() ?? []) {
        if (o.kind === 'StatefulSet' || o.kind === 'Deployment' || o.kind === 'DaemonSet') {
          sums[o.metadata.name] = o.spec.template.metadata.annotations?.[CONFIG_CHECKSUM_ANNOTATION] ?? '';
        }
      }
    }
    return sums;
  };
  const base = applyDefaults({ environment: 'x', clusterName: 'x' });
  const before = checksums(base);
  const after = checksums({ ...base, loki: { ...base.loki, retention: '90d' } });

  test('Loki changes', () => {
    expect(after.loki).not.toBe(before.loki);
  });

  test('nothing else does', () => {
    const changed = Object.keys(before).filter((name) => before[name] !== after[name]);
    expect(changed).toEqual(['loki']);
  });
});

describe('Loki, scalable', () => {
  const s3 = { provider: 's3' as const, endpoint: 'minio.storage.svc:9000', insecure: true, forcePathStyle: true, buckets: { logs: 'logs' }, credentialsSecret: 'creds' };
  const render = (props: Partial<import('../../lib/loki/loki').LokiProps> = {}) => {
    const chart = Testing.chart();
    const loki = new Loki(chart, 'loki', { namespace: 'obs', wiring: new StackWiring(), mode: 'scalable', objectStorage: s3, ...props });
    const objects = Testing.synth(chart);
    const config = load(objects.find((o) => o.kind === 'ConfigMap').data[CONFIG_FILE]) as any;
    return { loki, objects, config };
  };
  const { loki, objects, config } = render();
  const workloads = objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind));

  test('runs every microservices component, with state only where it belongs', () => {
    expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      'Deployment/loki-distributor', 'Deployment/loki-querier', 'Deployment/loki-query-frontend', 'Deployment/loki-query-scheduler',
      'StatefulSet/loki-compactor', 'StatefulSet/loki-index-gateway', 'StatefulSet/loki-ingester', 'StatefulSet/loki-pattern-ingester',
    ]);
    const compactor = workloads.find((w) => w.metadata.name === 'loki-compactor');
    expect(compactor.spec.replicas).toBe(1);
  });

  test('writes every stream to three ingesters, found through the gossip ring', () => {
    expect(config.common.replication_factor).toBe(3);
    expect(config.memberlist.join_members).toEqual(['dns+loki-gossip-ring.obs.svc:7946']);
    const gossip = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'loki-gossip-ring');
    expect(gossip.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: { 'observability-stack.io/memberlist': 'loki' } });
    for (const w of workloads) expect(w.spec.template.metadata.labels['observability-stack.io/memberlist']).toBe('loki');
  });

  test('stores chunks and index in the bucket, with credentials only as references', () => {
    expect(config.common.storage.s3).toEqual({
      endpoint: 'minio.storage.svc:9000', bucketnames: 'logs', access_key_id: '${AWS_ACCESS_KEY_ID}', secret_access_key: '${AWS_SECRET_ACCESS_KEY}', insecure: true, s3forcepathstyle: true,
    });
    expect(config.schema_config.configs[0].object_store).toBe('s3');
    for (const w of workloads) {
      const env = w.spec.template.spec.containers[0].env.filter((e: any) => e.valueFrom);
      expect(env.map((e: any) => e.valueFrom.secretKeyRef)).toEqual([{ name: 'creds', key: 'AWS_ACCESS_KEY_ID' }, { name: 'creds', key: 'AWS_SECRET_ACCESS_KEY' }]);
      expect(w.spec.template.spec.containers[0].args).toContain('-config.expand-env=true');
    }
  });

  test.each([
    [{ provider: 'gcs' as const, buckets: { logs: 'l' }, credentialsSecret: 'c' }, { gcs: { bucket_name: 'l', service_account: '${GCS_SERVICE_ACCOUNT_JSON}' } }, 'gcs'],
    [{ provider: 'azure' as const, accountName: 'acct', buckets: { logs: 'l' } }, { azure: { account_name: 'acct', container_name: 'l' } }, 'azure'],
  ])('renders %j for its provider', (storage, expected, objectStore) => {
    const { config: c } = render({ objectStorage: storage });
    expect(c.common.storage).toEqual(expected);
    expect(c.schema_config.configs[0].object_store).toBe(objectStore);
  });

  test('pushes go to the distributors and queries to the query frontends', () => {
    expect(loki.pushApi.url()).toBe('http://loki-distributor.obs.svc:3100/loki/api/v1/push');
    expect(loki.queryApi.endpoint.serviceName).toBe('loki-query-frontend');
    expect(config.frontend_worker.scheduler_address).toBe('loki-query-scheduler-headless.obs.svc:9095');
  });
});

describe('Tempo, scalable', () => {
  const s3 = { provider: 's3' as const, endpoint: 's3.amazonaws.com', buckets: { traces: 'traces' } };
  const kafka = { address: 'kafka.kafka.svc:9092', topics: { traces: 'tempo' }, partitions: { traces: 4 }, saslSecret: 'kafka' };
  const render = (props: Partial<import('../../lib/tempo/tempo').TempoProps> = {}) => {
    const chart = Testing.chart();
    const tempo = new Tempo(chart, 'tempo', { namespace: 'obs', wiring: new StackWiring(), mode: 'scalable', objectStorage: s3, kafka, highAvailability: true, components: { 'block-builder': { replicas: 2 } }, ...props });
    const objects = Testing.synth(chart);
    const config = load(objects.find((o) => o.kind === 'ConfigMap').data[CONFIG_FILE]) as any;
    return { tempo, objects, config };
  };
  const { tempo, objects, config } = render();
  const statefulSets = Object.fromEntries(objects.filter((o) => o.kind === 'StatefulSet').map((o) => [o.metadata.name, o]));

  test('one live-store per Kafka partition in each of two zones, named so the ordinal is the partition', () => {
    for (const zone of ['zone-a', 'zone-b']) {
      const sts = statefulSets[`tempo-live-store-${zone}`];
      expect(sts.spec.replicas).toBe(4);
      expect(sts.spec.template.spec.containers[0].args).toContain(`-live-store.instance-availability-zone=${zone}`);
      // A node loss must not take both copies of a partition.
      const other = zone === 'zone-a' ? 'live-store-zone-b' : 'live-store-zone-a';
      const term = sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
      expect(term.topologyKey).toBe('kubernetes.io/hostname');
      expect(term.labelSelector.matchExpressions).toEqual([{ key: 'app.kubernetes.io/component', operator: 'In', values: [other] }]);
    }
  });

  test('block-builders split the partitions evenly by ordinal', () => {
    expect(statefulSets['tempo-block-builder'].spec.replicas).toBe(2);
    expect(config.block_builder.partitions_per_instance).toBe(2);
  });

  test('writes through Kafka, with SASL credentials by reference only', () => {
    expect(config.ingest.kafka).toEqual({ address: 'kafka.kafka.svc:9092', topic: 'tempo', sasl_username: '${KAFKA_SASL_USERNAME}', sasl_password: '${KAFKA_SASL_PASSWORD}', auto_create_topic_enabled: false });
    const env = statefulSets['tempo-block-builder'].spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'KAFKA_SASL_PASSWORD', valueFrom: { secretKeyRef: { name: 'kafka', key: 'KAFKA_SASL_PASSWORD' } } });
  });

  test('queriers find the frontends, workers the scheduler, on their Services', () => {
    expect(config.querier.frontend_worker.frontend_address).toBe('tempo-query-frontend-headless.obs.svc:9095');
    expect(config.backend_worker.backend_scheduler_addr).toBe('tempo-backend-scheduler.obs.svc:9095');
    expect(statefulSets['tempo-backend-scheduler'].spec.replicas).toBe(1);
  });

  test('receives on the distributors and is queried on the frontends', () => {
    expect(tempo.receivers['otlp-grpc'].hostPort).toBe('tempo-distributor.obs.svc:4317');
    expect(tempo.queryApi.endpoint.serviceName).toBe('tempo-query-frontend');
  });
});

describe('Mimir, scalable (ingest storage)', () => {
  const s3 = { provider: 's3' as const, endpoint: 's3.amazonaws.com', forcePathStyle: true, buckets: { metrics: 'm', metricsRuler: 'mr', metricsAlertmanager: 'ma' }, credentialsSecret: 'creds' };
  const kafka = { address: 'kafka.kafka.svc:9092', topics: { metrics: 'mimir' }, partitions: { metrics: 3 } };
  const render = (props: Partial<import('../../lib/mimir/mimir').MimirProps> = {}) => {
    const chart = Testing.chart();
    const mimir = new Mimir(chart, 'mimir', { namespace: 'obs', wiring: new StackWiring(), tenant: 't', mode: 'scalable', objectStorage: s3, kafka, ...props });
    const objects = Testing.synth(chart);
    const config = load(objects.find((o) => o.kind === 'ConfigMap').data[CONFIG_FILE]) as any;
    return { mimir, objects, config };
  };
  const { mimir, objects, config } = render();
  const byName = Object.fromEntries(objects.filter((o) => ['Deployment', 'StatefulSet'].includes(o.kind)).map((o) => [o.metadata.name, o]));

  test('every component carries the ingest storage settings (Mimir refuses to start otherwise)', () => {
    expect(config.ingest_storage).toEqual({ enabled: true, kafka: { address: 'kafka.kafka.svc:9092', topic: 'mimir', auto_create_topic_enabled: false } });
  });

  test('one ingester per partition in each of two zones, zone-aware, never two zones on a node', () => {
    for (const zone of ['zone-a', 'zone-b']) {
      const sts = byName[`mimir-ingester-${zone}`];
      expect(sts.spec.replicas).toBe(3);
      expect(sts.spec.template.spec.containers[0].args).toContain(`-ingester.ring.instance-availability-zone=${zone}`);
      expect(sts.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    }
    expect(config.ingester.ring.zone_awareness_enabled).toBe(true);
  });

  test('blocks, rules and Alertmanager state each have their bucket; credentials stay references', () => {
    expect(config.blocks_storage.s3.bucket_name).toBe('m');
    expect(config.ruler_storage.s3.bucket_name).toBe('mr');
    expect(config.alertmanager_storage.s3.bucket_name).toBe('ma');
    expect(config.common.storage.s3).toMatchObject({ access_key_id: '${AWS_ACCESS_KEY_ID}', secret_access_key: '${AWS_SECRET_ACCESS_KEY}', bucket_lookup_type: 'path' });
  });

  test('queries go through the scheduler; rules are evaluated through the query frontend', () => {
    expect(config.frontend_worker.scheduler_address).toBe('mimir-query-scheduler-headless.obs.svc:9095');
    expect(config.ruler.query_frontend.address).toBe('dns:///mimir-query-frontend-headless.obs.svc:9095');
    expect(config.limits.ruler_alertmanager_client_config.alertmanager_url).toBe('http://mimir-alertmanager.obs.svc:8080/alertmanager');
  });

  test('writers push to the distributors; readers query the frontends', () => {
    expect(mimir.remoteWrite.api.endpoint.serviceName).toBe('mimir-distributor');
    expect(mimir.prometheusApi.url()).toBe('http://mimir-query-frontend.obs.svc:8080/prometheus');
    expect(mimir.alertmanagerApi.endpoint.serviceName).toBe('mimir-alertmanager');
  });

  test('reaches Kafka over TLS with the CA from a Secret, mounted read-only', () => {
    const { objects: o, config: c } = render({ kafka: { ...kafka, tls: { caSecret: 'kafka-ca' } } });
    expect(c.ingest_storage.kafka).toMatchObject({ tls_enabled: true, tls_ca_path: '/etc/kafka-tls/ca.crt' });
    const pod = o.find((x) => x.kind === 'Deployment' && x.metadata.name === 'mimir-distributor').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'kafka-ca', secret: { secretName: 'kafka-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'kafka-ca', mountPath: '/etc/kafka-tls', readOnly: true });
  });
});

describe('Pyroscope, scalable (v2)', () => {
  const gcs = { provider: 'gcs' as const, buckets: { profiles: 'p' }, credentialsSecret: 'creds' };
  const render = (props: Partial<import('../../lib/pyroscope/pyroscope').PyroscopeProps> = {}) => {
    const chart = Testing.chart();
    const pyroscope = new Pyroscope(chart, 'pyroscope', { namespace: 'obs', wiring: new StackWiring(), mode: 'scalable', objectStorage: gcs, ...props });
    const objects = Testing.synth(chart);
    const config = load(objects.find((o) => o.kind === 'ConfigMap').data[CONFIG_FILE]) as any;
    return { pyroscope, objects, config };
  };
  const { pyroscope, objects, config } = render();

  test('the metastores form a Raft group whose members name themselves as DNS SRV answers name them', () => {
    const raft = config.metastore.raft;
    expect(raft.server_id).toBe('${POD_NAME}.pyroscope-metastore-headless.obs.svc.cluster.local.:9099');
    expect(raft.advertise_address).toBe(raft.server_id);
    expect(raft.bootstrap_peers).toEqual(['dnssrvnoa+_raft._tcp.pyroscope-metastore-headless.obs.svc.cluster.local.']);
    expect(raft.bootstrap_expect_peers).toBe(3);
    const headless = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'pyroscope-metastore-headless');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: any) => p.name)).toContain('raft');
  });

  test('each pod knows its own name, and may watch the namespace to find the metastores', () => {
    const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'pyroscope-metastore');
    expect(sts.spec.template.spec.containers[0].env[0]).toEqual({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(sts.spec.template.spec.automountServiceAccountToken).toBe(true);
    const role = objects.find((o) => o.kind === 'Role');
    expect(role.rules.flatMap((r: any) => r.verbs)).not.toContain('create');
    expect(config.metastore.address).toBe('kubernetes:///pyroscope-metastore-headless.obs.svc.cluster.local.:9095');
  });

  test('stores profiles in the bucket, with the key only as a reference', () => {
    expect(config.storage).toEqual({ backend: 'gcs', gcs: { bucket_name: 'p', service_account: '${GCS_SERVICE_ACCOUNT_JSON}' } });
  });

  test('pushes go to the distributors, queries to the frontends', () => {
    expect(pyroscope.pushApi.endpoint.serviceName).toBe('pyroscope-distributor');
    expect(pyroscope.queryApi.endpoint.serviceName).toBe('pyroscope-query-frontend');
  });

  test('the query frontends also serve the tenant-settings and ad-hoc profile APIs Grafana calls there', () => {
    const frontend = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'pyroscope-query-frontend');
    expect(frontend.spec.template.spec.containers[0].args[0]).toBe('-target=query-frontend,tenant-settings,ad-hoc-profiles');
  });

  test('queries reach back over the whole retention, not the 7-day default', () => {
    const { config: kept } = render({ retention: '30d' });
    expect(kept.limits).toMatchObject({ retention_period: '720h', max_query_lookback: '720h', max_query_length: '720h' });
  });
});
