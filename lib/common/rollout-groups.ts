/**
 * The rollout-operator's contract (grafana/rollout-operator v0.38.1, pkg/config/config.go): it rolls
 * the StatefulSets that share a `rollout-group` label one after the other, each only once every
 * other StatefulSet of the group is Ready, deleting at most `rollout-max-unavailable` of its pods
 * at a time. Such StatefulSets use the `OnDelete` update strategy, and their pods carry a `name`
 * label the operator finds them by.
 */
export const ROLLOUT_GROUP_LABEL = 'rollout-group';
export const ROLLOUT_MAX_UNAVAILABLE_ANNOTATION = 'rollout-max-unavailable';
export const ROLLOUT_POD_NAME_LABEL = 'name';

/** One zone of a zoned workload. */
export interface ZonePlacement {
  /** The StatefulSets rolled one after another (the rollout-operator's `rollout-group`). */
  readonly rolloutGroup: string;
  /** The zone's name inside the database's ring, e.g. `zone-a`. */
  readonly name: string;
  /**
   * The availability zone (`topology.kubernetes.io/zone`) the zone's pods are pinned to, so that a
   * ring zone is a real failure domain. @default - not pinned: a single-zone cluster
   */
  readonly nodeZone?: string;
  /** Pods of the zone the rollout-operator restarts at once. */
  readonly maxUnavailable: number;
}
