/**
 * The Pod Security Standards of Kubernetes 1.28, as the pod-security admission controller checks
 * them (https://kubernetes.io/docs/concepts/security/pod-security-standards/). Returns the
 * controls a pod violates for a level; empty means the pod would be admitted.
 */
import { allContainers } from './pods';

export type Level = 'privileged' | 'baseline' | 'restricted';

const BASELINE_CAPABILITIES = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];
const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

/** A violated control: its name as the standard calls it, and what is wrong. */
export interface Violation {
  readonly control: string;
  readonly detail: string;
}

function baseline(pod: any): Violation[] {
  const v: Violation[] = [];
  const containers = allContainers(pod);
  const contexts = [pod.securityContext ?? {}, ...containers.map((c) => c.securityContext ?? {})];
  if (contexts.some((sc) => sc.windowsOptions?.hostProcess)) v.push({ control: 'HostProcess', detail: 'windowsOptions.hostProcess' });
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[ns]) v.push({ control: ns, detail: `${ns}: true` });
  for (const c of containers) {
    if (c.securityContext?.privileged) v.push({ control: 'Privileged Containers', detail: `${c.name} privileged` });
    for (const cap of c.securityContext?.capabilities?.add ?? []) {
      if (!BASELINE_CAPABILITIES.includes(cap)) v.push({ control: 'Capabilities', detail: `${c.name} adds ${cap}` });
    }
    for (const p of c.ports ?? []) if (p.hostPort) v.push({ control: 'Host Ports', detail: `${c.name} hostPort ${p.hostPort}` });
    if (c.securityContext?.procMount && c.securityContext.procMount !== 'Default') v.push({ control: '/proc Mount Type', detail: c.name });
  }
  for (const vol of pod.volumes ?? []) if (vol.hostPath) v.push({ control: 'HostPath Volumes', detail: `hostPath:${vol.hostPath.path}` });
  for (const sc of contexts) {
    if (sc.seccompProfile?.type === 'Unconfined') v.push({ control: 'Seccomp', detail: 'Unconfined' });
    if (sc.seLinuxOptions) {
      if (!SELINUX_TYPES.includes(sc.seLinuxOptions.type ?? '')) v.push({ control: 'SELinux', detail: `type ${sc.seLinuxOptions.type}` });
      if (sc.seLinuxOptions.user || sc.seLinuxOptions.role) v.push({ control: 'SELinux', detail: 'user/role set' });
    }
    if (sc.appArmorProfile && !['RuntimeDefault', 'Localhost'].includes(sc.appArmorProfile.type)) v.push({ control: 'AppArmor', detail: sc.appArmorProfile.type });
  }
  for (const s of pod.securityContext?.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) v.push({ control: 'Sysctls', detail: s.name });
  return v;
}

function restricted(pod: any): Violation[] {
  const v = baseline(pod);
  const podSc = pod.securityContext ?? {};
  for (const vol of pod.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (!type || !RESTRICTED_VOLUME_TYPES.includes(type)) v.push({ control: 'Volume Types', detail: `${vol.name}: ${type}` });
  }
  for (const c of allContainers(pod)) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) v.push({ control: 'Privilege Escalation', detail: `${c.name}: allowPrivilegeEscalation is not false` });
    const nonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    if (nonRoot !== true) v.push({ control: 'Running as Non-root', detail: `${c.name}: runAsNonRoot is not true` });
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) v.push({ control: 'Running as Non-root user', detail: `${c.name}: runAsUser 0` });
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) v.push({ control: 'Seccomp', detail: `${c.name}: seccompProfile not RuntimeDefault/Localhost` });
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) v.push({ control: 'Capabilities', detail: `${c.name}: does not drop ALL` });
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap !== 'NET_BIND_SERVICE') v.push({ control: 'Capabilities', detail: `${c.name} adds ${cap}` });
    }
  }
  if (podSc.runAsUser === 0) v.push({ control: 'Running as Non-root user', detail: 'pod runAsUser 0' });
  return v;
}

/** The controls `pod` (a PodSpec) violates at `level`. */
export function podSecurityViolations(pod: any, level: Level): Violation[] {
  if (level === 'privileged') return [];
  return level === 'baseline' ? baseline(pod) : restricted(pod);
}
