import { describeObject, Manifest, synthesizedStack } from './support/manifests';
import { allContainers, renderedPods, RenderedPod } from './support/pods';

/**
 * What each component with host access needs of its pod, as its upstream documentation says at
 * the pinned version. A missing mount or namespace does not fail the pod: the component starts,
 * reports ready, and silently collects nothing (pyroscope.ebpf without tracefs stops after its
 * start-up retries while /-/ready stays green). So each requirement is compared with the pod.
 */
interface HostRequirement {
  readonly source: string;
  /** Whether the pod runs the component. */
  readonly runs: (pod: RenderedPod, config: string) => boolean;
  readonly hostPID?: boolean;
  readonly hostNetwork?: boolean;
  readonly runAsRoot?: boolean;
  /** Host paths the component reads: each visible in the container (at `inContainer`, default the same path). */
  readonly hostPaths?: readonly { readonly host: string; readonly inContainer?: (pod: RenderedPod) => string | undefined }[];
  /** Directories it writes inside the container. */
  readonly writable?: readonly string[];
  /** Capabilities it needs unless the container is privileged. */
  readonly capabilities?: readonly string[];
}

const arg = (pod: RenderedPod, name: string) => (allContainers(pod.spec)[0].args ?? []).find((a: string) => a.startsWith(`${name}=`))?.split('=')[1];

const REQUIREMENTS: readonly HostRequirement[] = [
  {
    source: 'Alloy v1.18.1 pyroscope.ebpf (docs/sources/reference/components/pyroscope/pyroscope.ebpf.md; internal/component/pyroscope/ebpf/ebpf_linux.go)',
    runs: (_, config) => /^pyroscope\.ebpf "/m.test(config),
    hostPID: true,
    runAsRoot: true,
    // tracefs for the tracepoints it attaches to; its symbol cache under /tmp.
    hostPaths: [{ host: '/sys/kernel/tracing' }],
    writable: ['/tmp'],
    capabilities: ['BPF', 'PERFMON', 'SYS_PTRACE', 'SYS_RESOURCE', 'CHECKPOINT_RESTORE', 'DAC_READ_SEARCH', 'SYSLOG'],
  },
  {
    source: 'Alloy v1.18.1 loki.source.file over the kubelet pod log directory (/var/log/pods/<namespace>_<pod>_<uid>/<container>/)',
    runs: (_, config) => config.includes('/var/log/pods/'),
    hostPaths: [{ host: '/var/log/pods' }],
  },
  {
    source: 'node_exporter v1.12.1 (--path.procfs, --path.sysfs, --path.rootfs; host network for node_network_*)',
    runs: (pod) => (allContainers(pod.spec)[0].image ?? '').includes('/node-exporter:'),
    hostNetwork: true,
    hostPID: true,
    hostPaths: [
      { host: '/', inContainer: (pod) => arg(pod, '--path.rootfs') },
      { host: '/sys', inContainer: (pod) => arg(pod, '--path.sysfs') },
      { host: '/proc', inContainer: (pod) => arg(pod, '--path.procfs') },
    ],
  },
];

function alloyConfig(pod: RenderedPod, manifests: readonly Manifest[]): string {
  const names = (pod.spec.volumes ?? []).map((v: any) => v.configMap?.name).filter(Boolean);
  const cm = manifests.find((m) => m.object.kind === 'ConfigMap' && m.object.metadata.namespace === pod.namespace && names.includes(m.object.metadata.name));
  return cm?.object.data?.['config.alloy'] ?? '';
}

/** Where a host path shows inside the container, through a hostPath volume, or undefined. */
function containerPathOf(pod: RenderedPod, host: string): string | undefined {
  // The most specific host path volume wins, as the kernel's mount table would have it.
  const candidates = (allContainers(pod.spec)[0].volumeMounts ?? [])
    .map((mount: any) => ({ mount, source: (pod.spec.volumes ?? []).find((v: any) => v.name === mount.name)?.hostPath?.path as string | undefined }))
    .filter(({ source }: any) => source !== undefined && (host === source || host.startsWith(source === '/' ? '/' : `${source}/`)))
    .sort((a: any, b: any) => b.source.length - a.source.length);
  const best = candidates[0];
  if (!best) return undefined;
  if (host === best.source) return best.mount.mountPath;
  const rest = host.slice(best.source === '/' ? 1 : best.source.length + 1);
  return `${best.mount.mountPath.replace(/\/$/, '')}/${rest}`;
}

const environments = [...synthesizedStack().byEnv.entries()];

describe.each(environments)('host requirements in %s', (_, manifests) => {
  const cases = renderedPods(manifests).flatMap((pod) => {
    const config = alloyConfig(pod, manifests);
    return REQUIREMENTS.filter((r) => r.runs(pod, config)).map((r) => [`${describeObject(pod.source)} runs ${r.source}`, pod, r] as const);
  });

  test('each requirement applies to a pod (the node agents run every time)', () => {
    expect(new Set(cases.map(([, , r]) => r)).size).toBe(REQUIREMENTS.length);
  });

  test.each(cases)('%s: the pod gives it what it needs', (_, pod, r) => {
    const container = allContainers(pod.spec)[0];
    const privileged = container.securityContext?.privileged === true;
    const missing: string[] = [];
    if (r.hostPID && !pod.spec.hostPID) missing.push('hostPID');
    if (r.hostNetwork && !pod.spec.hostNetwork) missing.push('hostNetwork');
    if (r.runAsRoot && (pod.spec.securityContext?.runAsUser ?? container.securityContext?.runAsUser) !== 0) missing.push('runAsUser 0');
    for (const p of r.hostPaths ?? []) {
      const at = containerPathOf(pod, p.host);
      const expected = p.inContainer ? p.inContainer(pod) : p.host;
      if (at === undefined || (expected !== undefined && at !== expected)) missing.push(`host path ${p.host} at ${expected ?? p.host} (found: ${at ?? 'not mounted'})`);
    }
    for (const dir of r.writable ?? []) {
      const writable = (container.volumeMounts ?? []).some((m: any) => !m.readOnly && (dir === m.mountPath || dir.startsWith(`${m.mountPath}/`)));
      if (!writable) missing.push(`writable ${dir}`);
    }
    const added: string[] = container.securityContext?.capabilities?.add ?? [];
    if (!privileged) for (const c of r.capabilities ?? []) if (!added.includes(c)) missing.push(`capability ${c}`);
    expect(missing).toEqual([]);
  });
});
