import {
  componentDashboard,
  quantileOf,
  rateOf,
  ringPanel,
  scopeFilter,
  singleStat,
  StackDashboard,
  timeSeries,
  WorkloadScope,
} from './kit';

/** Profiles in and rejected, segment writers, the Raft metastore, compaction and the object store. */
export function pyroscopeDashboard(scope: WorkloadScope): StackDashboard {
  const f = scopeFilter(scope);
  // Size histograms: `_sum` is the volume, `_count` the number of profiles.
  const received = (suffix: 'sum' | 'count', by?: string) => rateOf(`pyroscope_distributor_received_compressed_bytes_${suffix}`, f, by);
  return componentDashboard({
    uid: 'stack-pyroscope',
    title: 'Observability stack / Pyroscope',
    description: 'Profile ingestion and rejections, segment writes, metastore leadership, compaction and object storage.',
    tags: ['pyroscope', 'profiles'],
    clusterMetric: 'pyroscope_build_info',
    scope,
    requestHistogram: 'pyroscope_request_duration_seconds',
    overview: [
      singleStat({ title: 'Profiles received', description: 'Profiles per second accepted by the distributors.', queries: [{ expr: received('count') }], unit: 'short', span: 4 }),
      singleStat({ title: 'Bytes received', description: 'Compressed profile bytes per second accepted by the distributors.', queries: [{ expr: received('sum') }], unit: 'Bps', span: 4 }),
      singleStat({ title: 'Profiles discarded', description: 'Profiles per second rejected: rate and size limits, ingestion window, relabelling.', queries: [{ expr: rateOf('pyroscope_discarded_samples_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Metastore leaders', description: 'Metastore replicas that are Raft leader: exactly 1 is healthy.', queries: [{ expr: `sum(pyroscope_metastore_raft_state{${f}, state="Leader"})` }], unit: 'short', span: 4 }),
      singleStat({ title: 'Compaction jobs queued', description: 'Compaction jobs waiting for a worker.', queries: [{ expr: `sum(pyroscope_metastore_compaction_scheduler_queue_jobs{${f}, status="unassigned"})` }], unit: 'short', span: 4 }),
      singleStat({ title: 'Compaction p99 lag', description: '99th percentile of the time from a block being written to it being compacted.', queries: [{ expr: quantileOf(0.99, 'pyroscope_compaction_worker_time_to_compaction_seconds', f) }], unit: 's', span: 4 }),
    ],
    sections: [
      {
        title: 'Write path',
        panels: [
          timeSeries({ title: 'Bytes received by profile type', description: 'Compressed bytes per second accepted, by profile type (cpu, memory, goroutines, mutex, block...).', queries: [{ expr: received('sum', 'type'), legend: '{{type}}' }], unit: 'Bps', min: 0, span: 8 }),
          timeSeries({ title: 'Discarded profiles by reason', description: 'Profiles per second rejected, by reason and tenant.', queries: [{ expr: rateOf('pyroscope_discarded_samples_total', f, 'reason, tenant'), legend: '{{tenant}}: {{reason}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Segment uploads',
            description: '99th percentile of segment uploads to object storage and of metadata writes to the metastore, by outcome.',
            queries: [
              { expr: quantileOf(0.99, 'pyroscope_segment_writer_upload_duration_seconds', f, 'status'), legend: 'upload {{status}}' },
              { expr: quantileOf(0.99, 'pyroscope_segment_writer_store_metadata_duration_seconds', f, 'status'), legend: 'metadata {{status}}' },
            ],
            unit: 's',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'Metastore and compaction',
        panels: [
          timeSeries({ title: 'Raft state', description: 'The Raft state of each metastore replica.', queries: [{ expr: `max by (pod, state) (pyroscope_metastore_raft_state{${f}}) > 0`, legend: '{{pod}} {{state}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({ title: 'Raft apply latency', description: '99th percentile of the time to commit a command through Raft.', queries: [{ expr: quantileOf(0.99, 'pyroscope_metastore_raft_apply_command_duration_seconds', f, 'pod'), legend: '{{pod}}' }], unit: 's', min: 0, span: 8 }),
          timeSeries({
            title: 'Compaction jobs',
            description: 'Jobs completed per second by outcome, and jobs in the queue by status.',
            queries: [
              { expr: rateOf('pyroscope_compaction_worker_jobs_completed_total', f, 'status'), legend: 'completed {{status}}' },
              { expr: `sum by (status) (pyroscope_metastore_compaction_scheduler_queue_jobs{${f}})`, legend: 'queued {{status}}' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Object storage',
            description: 'Object storage operations per second by operation, and failures.',
            queries: [
              { expr: rateOf('objstore_bucket_operations_total', f, 'operation'), legend: '{{operation}}' },
              { expr: rateOf('objstore_bucket_operation_failures_total', f, 'operation'), legend: '{{operation}} failed' },
            ],
            unit: 'short',
            min: 0,
            span: 12,
          }),
          ringPanel('pyroscope_ring_members', f).span(12),
        ],
      },
    ],
  });
}
