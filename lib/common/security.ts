import { k8s } from 'cdk8s-plus-28';

/**
 * Pod Security Standards level a namespace enforces
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/).
 */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** The pod-level half of the "restricted" profile, for an image that runs as `uid`. */
export function restrictedPodSecurityContext(uid: number, gid: number = uid): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    // Volumes (PVCs, emptyDirs) become group-writable for the image's user.
    fsGroup: gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The container-level half of the "restricted" profile. The root filesystem is read-only: every
 * path a process writes to must be an explicit volume.
 */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Host access that a node agent needs and that no "restricted" pod may have. Each entry carries
 * the reason in words; the reasons are rendered onto the pod template as an annotation so that an
 * auditor reading the cluster sees why, and the security tests refuse any host access that is not
 * declared here.
 */
export interface HostAccess {
  /** @default - not granted */
  readonly hostNetwork?: string;
  /** @default - not granted */
  readonly hostPID?: string;
  /** Host paths by path on the node, each with its reason. @default - none */
  readonly hostPaths?: Readonly<Record<string, string>>;
  /** Run as root (UID 0). @default - not granted */
  readonly runAsRoot?: string;
  /** Linux capabilities added to every container, by name, each with its reason. @default - none */
  readonly capabilities?: Readonly<Record<string, string>>;
  /** No seccomp filter (some eBPF and perf syscalls are refused by the runtime's default). @default - not granted: the runtime's default profile */
  readonly unconfinedSeccomp?: string;
}

/** Annotation that records a pod's declared host access and the reason for each item. */
export const HOST_ACCESS_ANNOTATION = 'observability-stack.io/host-access';

export function hostAccessAnnotation(access: HostAccess): Record<string, string> {
  const reasons: Record<string, string> = {};
  if (access.hostNetwork) reasons.hostNetwork = access.hostNetwork;
  if (access.hostPID) reasons.hostPID = access.hostPID;
  for (const [path, why] of Object.entries(access.hostPaths ?? {})) reasons[`hostPath:${path}`] = why;
  if (access.runAsRoot) reasons.runAsRoot = access.runAsRoot;
  for (const [capability, why] of Object.entries(access.capabilities ?? {})) reasons[`capability:${capability}`] = why;
  if (access.unconfinedSeccomp) reasons.unconfinedSeccomp = access.unconfinedSeccomp;
  return { [HOST_ACCESS_ANNOTATION]: JSON.stringify(reasons) };
}
