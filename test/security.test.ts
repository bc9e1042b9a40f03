import { NODE_AGENT_STATE_DIR } from '../lib/alloy/alloy';
import { HOST_ACCESS_ANNOTATION } from '../lib/common/security';
import { allManifests, describeObject, Manifest, synthesizedStack } from './support/manifests';
import { Level, podSecurityViolations } from './support/pod-security';
import { allContainers, renderedPods } from './support/pods';

const environments = [...synthesizedStack().byEnv.entries()];

function enforcedLevel(manifests: readonly Manifest[], namespace: string): Level {
  const ns = manifests.find((m) => m.object.kind === 'Namespace' && m.object.metadata.name === namespace);
  if (!ns) throw new Error(`namespace ${namespace} is not rendered`);
  return ns.object.metadata.labels['pod-security.kubernetes.io/enforce'];
}

/**
 * The host-access declaration that covers a violated "restricted" control, or undefined for a
 * control no declaration can excuse (privileged containers, added capabilities, root...).
 */
function declarationFor(pod: any, control: string, detail: string): string | undefined {
  switch (control) {
    case 'hostNetwork':
    case 'Host Ports': // on the host network every container port is a host port
      return 'hostNetwork';
    case 'hostPID':
      return 'hostPID';
    case 'HostPath Volumes':
      return detail;
    case 'Volume Types': {
      const volume = (pod.volumes ?? []).find((v: any) => detail.startsWith(`${v.name}:`));
      return volume?.hostPath ? `hostPath:${volume.hostPath.path}` : undefined;
    }
    case 'Running as Non-root':
    case 'Running as Non-root user':
      return 'runAsRoot';
    case 'Capabilities': {
      const added = /adds (\S+)$/.exec(detail);
      return added ? `capability:${added[1]}` : undefined;
    }
    case 'Seccomp':
      return 'unconfinedSeccomp';
    default:
      return undefined;
  }
}

describe.each(environments)('pod security in %s', (_, manifests) => {
  const pods = renderedPods(manifests);

  test.each(pods.map((p) => [describeObject(p.source), p] as const))('%s is admitted by its namespace', (_, pod) => {
    const level = enforcedLevel(manifests, pod.namespace);
    expect(podSecurityViolations(pod.spec, level)).toEqual([]);
  });

  test.each(pods.map((p) => [describeObject(p.source), p] as const))('%s is "restricted", or declares why not', (_, pod) => {
    const violations = podSecurityViolations(pod.spec, 'restricted');
    if (violations.length === 0) {
      expect(pod.annotations[HOST_ACCESS_ANNOTATION]).toBeUndefined();
      return;
    }
    // Anything beyond "restricted" must be host access declared, with a reason, in code.
    const declared: Record<string, string> = JSON.parse(pod.annotations[HOST_ACCESS_ANNOTATION] ?? '{}');
    const unexcused = violations
      .filter((v) => !(declarationFor(pod.spec, v.control, v.detail)! in declared))
      .map((v) => `${v.control}: ${v.detail}`);
    expect(unexcused).toEqual([]);
    for (const reason of Object.values(declared)) expect(reason.length).toBeGreaterThan(20);
    // And such a pod lives only where the namespace admits it, never in the restricted one.
    expect(enforcedLevel(manifests, pod.namespace)).toBe('privileged');
  });

  test('the stack namespace enforces "restricted" and only node agents run elsewhere', () => {
    const namespaces = manifests.filter((m) => m.object.kind === 'Namespace');
    expect(namespaces.map((n) => n.object.metadata.labels['pod-security.kubernetes.io/enforce']).sort()).toEqual(['privileged', 'restricted']);
    const privileged = namespaces.find((n) => n.object.metadata.labels['pod-security.kubernetes.io/enforce'] === 'privileged')!.object.metadata.name;
    const inPrivileged = pods.filter((p) => p.namespace === privileged);
    expect(inPrivileged.map((p) => p.source.object.kind)).toEqual(inPrivileged.map(() => 'DaemonSet'));
    for (const p of inPrivileged) expect(p.annotations[HOST_ACCESS_ANNOTATION]).toBeDefined();
  });

  test('declared host access is exactly what the pod gets: no stale or silently dropped declaration', () => {
    for (const pod of pods.filter((p) => p.annotations[HOST_ACCESS_ANNOTATION])) {
      const declared = Object.keys(JSON.parse(pod.annotations[HOST_ACCESS_ANNOTATION])).sort();
      const containers = allContainers(pod.spec);
      const actual = [
        ...(pod.spec.hostNetwork ? ['hostNetwork'] : []),
        ...(pod.spec.hostPID ? ['hostPID'] : []),
        ...(pod.spec.volumes ?? []).filter((v: any) => v.hostPath).map((v: any) => `hostPath:${v.hostPath.path}`),
        ...(pod.spec.securityContext?.runAsUser === 0 ? ['runAsRoot'] : []),
        ...[...new Set(containers.flatMap((c) => c.securityContext?.capabilities?.add ?? []))].map((c) => `capability:${c}`),
        ...(containers.some((c) => c.securityContext?.seccompProfile?.type === 'Unconfined') ? ['unconfinedSeccomp'] : []),
      ].sort();
      expect({ pod: describeObject(pod.source), access: actual }).toEqual({ pod: describeObject(pod.source), access: declared });
    }
  });

  test('host-path mounts of node agents are read-only, but for the agent\'s own state directory', () => {
    for (const pod of pods) {
      const hostVolumes = (pod.spec.volumes ?? []).filter((v: any) => v.hostPath && v.hostPath.path !== NODE_AGENT_STATE_DIR).map((v: any) => v.name);
      for (const c of allContainers(pod.spec)) {
        for (const mount of c.volumeMounts ?? []) if (hostVolumes.includes(mount.name)) expect({ mount: mount.name, readOnly: mount.readOnly }).toEqual({ mount: mount.name, readOnly: true });
      }
    }
  });

  test('every container has a read-only root filesystem', () => {
    for (const pod of pods) {
      for (const c of allContainers(pod.spec)) expect({ pod: describeObject(pod.source), c: c.name, ro: c.securityContext?.readOnlyRootFilesystem }).toEqual({ pod: describeObject(pod.source), c: c.name, ro: true });
    }
  });
});

describe('the pod security checker itself', () => {
  const restrictedPod = {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  };

  test('admits a restricted pod', () => {
    expect(podSecurityViolations(restrictedPod, 'restricted')).toEqual([]);
  });

  test.each([
    ['privilege escalation', (p: any) => (p.containers[0].securityContext.allowPrivilegeEscalation = true), 'Privilege Escalation'],
    ['root', (p: any) => (p.securityContext.runAsNonRoot = false), 'Running as Non-root'],
    ['no seccomp', (p: any) => delete p.securityContext.seccompProfile, 'Seccomp'],
    ['added capability', (p: any) => (p.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']), 'Capabilities'],
    ['host path', (p: any) => (p.volumes = [{ name: 'h', hostPath: { path: '/' } }]), 'HostPath Volumes'],
    ['host network', (p: any) => (p.hostNetwork = true), 'hostNetwork'],
  ])('refuses %s', (_, mutate, control) => {
    const pod = structuredClone(restrictedPod);
    mutate(pod);
    expect(podSecurityViolations(pod, 'restricted').map((v) => v.control)).toContain(control);
  });
});

describe('no secret value is ever written to dist/', () => {
  const manifests = allManifests();

  test('dist/ contains no Secret objects', () => {
    expect(manifests.filter((m) => m.object.kind === 'Secret').map(describeObject)).toEqual([]);
  });

  test('no environment variable carries a credential as a literal value', () => {
    const suspicious = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|CREDENTIAL)/i;
    const leaks: string[] = [];
    for (const pod of renderedPods(manifests)) {
      for (const c of allContainers(pod.spec)) {
        for (const e of c.env ?? []) if (suspicious.test(e.name) && e.value !== undefined) leaks.push(`${describeObject(pod.source)} ${c.name} ${e.name}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  test('no argument passes a credential on the command line', () => {
    const flags = /--[a-z0-9.-]*(password|secret|token|api-key)[a-z0-9.-]*=(?!\/)/i;
    for (const pod of renderedPods(manifests)) {
      for (const c of allContainers(pod.spec)) for (const a of c.args ?? []) expect(a).not.toMatch(flags);
    }
  });
});

describe('least privilege: every role names the verbs, resources and API groups it needs', () => {
  test.each(allManifests().filter((m) => ['Role', 'ClusterRole'].includes(m.object.kind)).map((m) => [describeObject(m), m] as const))('%s has no wildcard', (_, role) => {
    const wildcards = (role.object.rules ?? []).flatMap((rule: any, i: number) =>
      (['verbs', 'resources', 'apiGroups', 'nonResourceURLs'] as const).filter((field) => (rule[field] ?? []).some((v: string) => v === '*' || v.endsWith('/*'))).map((field) => `rule ${i}: ${field}`),
    );
    expect(wildcards).toEqual([]);
  });
});
