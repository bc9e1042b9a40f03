import type { MicroserviceSpec } from './database';

/** The ring zones a zoned consumer runs, in order: `zone-a`, `zone-b`, ... */
export function ringZoneNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `zone-${String.fromCharCode(97 + i)}`);
}

export interface ZonedStatefulSetProps {
  /** The database's `-target`, e.g. `ingester`. */
  readonly target: string;
  /** Ring zones, each its own StatefulSet. */
  readonly zones: number;
  /**
   * Availability zones of the cluster, one per ring zone (in order), when the environment is
   * highly available. @default - not pinned
   */
  readonly nodeZones?: readonly string[];
  /** Pods in each zone. */
  readonly replicasPerZone: number;
  /** The flag that tells a pod its ring zone, e.g. `-ingester.ring.instance-availability-zone`. */
  readonly zoneFlag: string;
  /**
   * Pods of one zone restarted at once during a rollout. The other zones hold every copy
   * meanwhile, so this is a speed setting, not a safety one.
   */
  readonly maxUnavailablePerZone: number;
  /**
   * Pods of the same ordinal in different zones hold the same data (the owners of one Kafka
   * partition): they must never share a node, pinned or not. @default false
   */
  readonly ordinalsApart?: boolean;
  /** The rest of the component's spec (resources, storage, grace period...). */
  readonly spec: Omit<MicroserviceSpec, 'target' | 'name' | 'kind' | 'replicas' | 'zone' | 'extraArgs' | 'apartFrom'>;
}

/**
 * A ring member that replicates across zones (Mimir ingesters and Tempo live-stores owning Kafka
 * partitions, Loki ingesters replicating streams) as one StatefulSet per ring zone. The rules
 * that keep every copy available live here once: zones roll one after another
 * (rollout-operator), each zone is pinned to its own availability zone, and one disruption
 * budget spans the zones (Microservices renders it for the rollout group).
 */
export function zonedStatefulSets(props: ZonedStatefulSetProps): MicroserviceSpec[] {
  const names = ringZoneNames(props.zones);
  if (props.nodeZones && props.nodeZones.length < names.length) {
    throw new Error(`${props.target}: ${names.length} ring zones need as many availability zones; the cluster has ${props.nodeZones.length}`);
  }
  const component = (zone: string) => `${props.target}-${zone}`;
  return names.map((zone, i) => ({
    ...props.spec,
    target: props.target,
    name: component(zone),
    kind: 'StatefulSet',
    replicas: props.replicasPerZone,
    extraArgs: [`${props.zoneFlag}=${zone}`],
    apartFrom: props.ordinalsApart ? names.filter((z) => z !== zone).map(component) : undefined,
    zone: {
      rolloutGroup: props.target,
      name: zone,
      nodeZone: props.nodeZones?.[i],
      maxUnavailable: props.maxUnavailablePerZone,
    },
  }));
}

export interface ZonedConsumerProps extends Omit<ZonedStatefulSetProps, 'replicasPerZone' | 'ordinalsApart'> {
  /** Kafka partitions: each zone runs one consumer per partition, its ordinal the partition. */
  readonly partitions: number;
}

/** Kafka partition consumers: in each zone one pod per partition, the owners of a partition apart. */
export function zonedPartitionConsumers(props: ZonedConsumerProps): MicroserviceSpec[] {
  const { partitions, ...rest } = props;
  return zonedStatefulSets({ ...rest, replicasPerZone: partitions, ordinalsApart: true });
}
