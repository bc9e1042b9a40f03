import { load } from 'js-yaml';
import { CONFIG_FILE } from '../lib/common/database';
import { describeObject, Manifest, synthesizedStack } from './support/manifests';
import { allContainers, renderedPods, RenderedPod } from './support/pods';

/**
 * Every write-ahead log, read position and send queue a component keeps across restarts must be
 * on storage that outlives the pod (a PersistentVolumeClaim, or the node itself for a node
 * agent): on an emptyDir a rollout, which every config change causes, drops the backlog or
 * repeats what was already sent. The paths are what each component's pinned version writes
 * there, read from the rendered configuration and flags.
 */
interface DurableState {
  /** `app.kubernetes.io/name` of the pods, and the `-target`s that keep this state (`all` included). */
  readonly app: string;
  readonly targets?: readonly string[];
  readonly what: string;
  /** The directory, from the rendered config and the container's args. */
  readonly path: (config: any, args: readonly string[]) => string | undefined;
}

const get = (o: any, path: string): any => path.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), o);
const flag = (args: readonly string[], name: string) => args.find((a) => a.startsWith(`${name}=`))?.split('=')[1];

const STATE: readonly DurableState[] = [
  { app: 'alloy', what: 'remote-write WAL, log read positions, Kubernetes event positions (--storage.path)', path: (_, args) => flag(args, '--storage.path') },
  { app: 'mimir', targets: ['ingester', 'all'], what: 'ingester TSDB head and WAL', path: (c) => get(c, 'blocks_storage.tsdb.dir') },
  { app: 'mimir', targets: ['alertmanager', 'all'], what: 'Alertmanager silences and notification log', path: (c) => get(c, 'alertmanager.data_dir') },
  { app: 'loki', targets: ['ingester', 'all'], what: 'ingester WAL', path: (c) => get(c, 'ingester.wal.dir') ?? `${get(c, 'common.path_prefix')}/wal` },
  { app: 'loki', targets: ['compactor', 'all'], what: 'compactor delete requests and markers', path: (c) => get(c, 'compactor.working_directory') },
  { app: 'tempo', targets: ['live-store', 'all'], what: 'live-store WAL', path: (c) => get(c, 'storage.trace.wal.path') },
  { app: 'tempo', targets: ['metrics-generator', 'all'], what: 'metrics-generator remote-write WAL', path: (c) => get(c, 'metrics_generator.storage.path') },
  // Relative defaults of 2.2.1 (pkg/metastore/raftnode/node.go, fsm/fsm.go), resolved against the working directory.
  { app: 'pyroscope', targets: ['metastore', 'all'], what: 'metastore Raft log and snapshots', path: (c) => get(c, 'metastore.raft.dir') ?? './data/v2/metastore/raft' },
  { app: 'pyroscope', targets: ['metastore', 'all'], what: 'metastore index', path: (c) => get(c, 'metastore.data_dir') ?? './data/v2/metastore/data' },
];

/**
 * State deliberately kept on an emptyDir, with the reason it is safe. Anything else must be
 * durable.
 */
const EPHEMERAL_BY_DESIGN: Readonly<Record<string, string>> = {
  'tempo/block-builder': 'commits its Kafka offset only after the block is in object storage; a restart re-reads the partition',
  'loki/pattern-ingester': 'patterns are rebuilt from the incoming stream; nothing is lost but the last minutes of patterns',
  'pyroscope/segment-writer': 'acknowledges a push only once its segment is in object storage; it keeps nothing on disk',
  'pyroscope/compaction-worker': 'leases its jobs from the metastore; an interrupted job is leased again',
};

const environments = [...synthesizedStack().byEnv.entries()];

function configOf(pod: RenderedPod, manifests: readonly Manifest[]): any {
  const names = (pod.spec.volumes ?? []).map((v: any) => v.configMap?.name).filter(Boolean);
  const cm = manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.namespace === pod.namespace && names.includes(m.object.metadata.name) && m.object.data?.[CONFIG_FILE]);
  return cm ? load(cm.object.data[CONFIG_FILE]) : {};
}

/** How the volume mounted at `path` outlives the pod: `pvc`, `hostPath`, or undefined. */
function durability(pod: RenderedPod, path: string): string | undefined {
  const container = allContainers(pod.spec)[0];
  const mount = (container.volumeMounts ?? [])
    .filter((m: any) => path === m.mountPath || path.startsWith(`${m.mountPath.replace(/\/$/, '')}/`))
    .sort((a: any, b: any) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) return undefined;
  const claims = (pod.source.object.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name);
  if (claims.includes(mount.name)) return 'pvc';
  const volume = (pod.spec.volumes ?? []).find((v: any) => v.name === mount.name);
  if (volume?.persistentVolumeClaim) return 'pvc';
  if (volume?.hostPath) return 'hostPath';
  return undefined;
}

describe.each(environments)('durable state in %s', (_, manifests) => {
  const cases = renderedPods(manifests).flatMap((pod) => {
    const args: string[] = allContainers(pod.spec)[0]?.args ?? [];
    const target = flag(args, '-target')?.split(',')[0];
    const config = configOf(pod, manifests);
    return STATE.filter((s) => s.app === pod.labels['app.kubernetes.io/name'] && (!s.targets || (target !== undefined && s.targets.includes(target)))).map(
      (s) => [`${describeObject(pod.source)}: ${s.what}`, pod, s.path(config, args)] as const,
    );
  });

  test('every component that keeps such state is covered', () => {
    const apps = new Set(cases.map(([, pod]) => pod.labels['app.kubernetes.io/name']));
    expect([...apps].sort()).toEqual(['alloy', 'loki', 'mimir', 'pyroscope', 'tempo']);
  });

  test.each(cases)('%s is on storage that outlives the pod', (_, pod, configured) => {
    expect(configured).toBeDefined();
    const workingDir = allContainers(pod.spec)[0].workingDir ?? '/';
    const path = configured!.startsWith('./') ? `${workingDir.replace(/\/$/, '')}/${configured!.slice(2)}` : configured!;
    expect({ path, durable: durability(pod, path) }).toEqual({ path, durable: expect.stringMatching(/^(pvc|hostPath)$/) });
  });

  test('the only components of a database on emptyDir data are stateless or named, with their reason, as safe', () => {
    const unexplained = renderedPods(manifests)
      .filter((p) => ['mimir', 'loki', 'tempo', 'pyroscope'].includes(p.labels['app.kubernetes.io/name']) && p.source.object.kind === 'StatefulSet')
      .filter((p) => !p.source.object.spec.volumeClaimTemplates?.length)
      .map((p) => `${p.labels['app.kubernetes.io/name']}/${flag(allContainers(p.spec)[0].args, '-target')}`)
      .filter((key) => !(key in EPHEMERAL_BY_DESIGN));
    expect(unexplained).toEqual([]);
  });
});
