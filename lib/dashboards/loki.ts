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

/** Ingestion, the ingesters' memory and flushes, queries, retention and the object store. */
export function lokiDashboard(scope: WorkloadScope): StackDashboard {
  const f = scopeFilter(scope);
  const sinceLast = (metric: string) => `time() - max(${metric}{${f}})`;
  return componentDashboard({
    uid: 'stack-loki',
    title: 'Observability stack / Loki',
    description: 'Log ingestion and rejections, ingester streams and flushes, LogQL latency, retention and object storage.',
    tags: ['loki', 'logs'],
    clusterMetric: 'loki_build_info',
    scope,
    requestHistogram: 'loki_request_duration_seconds',
    overview: [
      singleStat({ title: 'Lines received', description: 'Log lines per second accepted by the distributors.', queries: [{ expr: rateOf('loki_distributor_lines_received_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Bytes received', description: 'Uncompressed log bytes per second accepted by the distributors.', queries: [{ expr: rateOf('loki_distributor_bytes_received_total', f) }], unit: 'Bps', span: 4 }),
      singleStat({ title: 'Lines discarded', description: 'Log lines per second rejected: rate limits, too old, too long, stream limits.', queries: [{ expr: rateOf('loki_discarded_samples_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Streams in memory', description: 'Streams the ingesters hold in memory (each is counted once per replica it lives on).', queries: [{ expr: `sum(loki_ingester_memory_streams{${f}})` }], unit: 'short', span: 4 }),
      singleStat({ title: 'Since last retention', description: 'Time since the compactor last applied retention successfully.', queries: [{ expr: sinceLast('loki_compactor_apply_retention_last_successful_run_timestamp_seconds') }], unit: 's', span: 4 }),
      singleStat({ title: 'Since last compaction', description: 'Time since the compactor last compacted the index successfully.', queries: [{ expr: sinceLast('loki_boltdb_shipper_compact_tables_operation_last_successful_run_timestamp_seconds') }], unit: 's', span: 4 }),
    ],
    sections: [
      {
        title: 'Ingestion',
        panels: [
          timeSeries({ title: 'Bytes received by tenant', description: 'Uncompressed bytes per second accepted, per tenant.', queries: [{ expr: rateOf('loki_distributor_bytes_received_total', f, 'tenant'), legend: '{{tenant}}' }], unit: 'Bps', min: 0, span: 8 }),
          timeSeries({ title: 'Discarded lines by reason', description: 'Lines per second rejected, by reason and tenant.', queries: [{ expr: rateOf('loki_discarded_samples_total', f, 'reason, tenant'), legend: '{{tenant}}: {{reason}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({ title: 'Streams in memory by tenant', description: 'Streams held by the ingesters, per tenant: stream limits apply to this figure.', queries: [{ expr: `sum by (tenant) (loki_ingester_memory_streams{${f}})`, legend: '{{tenant}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Chunk flushes',
            description: 'Chunks flushed per second by reason (full, idle, max age...), and failed flushes.',
            queries: [
              { expr: rateOf('loki_ingester_chunks_flushed_total', f, 'reason'), legend: '{{reason}}' },
              { expr: rateOf('loki_ingester_chunks_flush_failures_total', f), legend: 'failed' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({ title: 'Flush queue', description: 'Chunks waiting to be flushed, per ingester: growth means object storage cannot keep up.', queries: [{ expr: `sum by (pod) (loki_ingester_flush_queue_length{${f}})`, legend: '{{pod}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Write-ahead log problems',
            description: 'WAL writes that failed for a full disk, and corruptions found on replay.',
            queries: [
              { expr: rateOf('loki_ingester_wal_disk_full_failures_total', f, 'pod'), legend: '{{pod}} disk full' },
              { expr: rateOf('loki_ingester_wal_corruptions_total', f, 'pod'), legend: '{{pod}} corruptions' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'Queries and storage',
        panels: [
          timeSeries({ title: 'LogQL p99 latency by type', description: '99th percentile of LogQL query time, by query type.', queries: [{ expr: quantileOf(0.99, 'loki_logql_querystats_latency_seconds', f, 'type'), legend: '{{type}}' }], unit: 's', min: 0, span: 8 }),
          timeSeries({ title: 'Query queue by tenant', description: 'Queries waiting in the scheduler, per tenant.', queries: [{ expr: `sum by (user) (loki_query_scheduler_queue_length{${f}})`, legend: '{{user}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Object storage p99 latency',
            description: 'Latency of object storage calls by operation (only the configured backend reports).',
            queries: ['s3', 'gcs', 'azure_blob'].map((store) => ({
              expr: quantileOf(0.99, `loki_${store}_request_duration_seconds`, f, 'operation'),
              legend: `${store} {{operation}}`,
            })),
            unit: 's',
            min: 0,
            span: 8,
          }),
          ringPanel('loki_ring_members', f),
        ],
      },
    ],
  });
}
