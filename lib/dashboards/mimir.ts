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

/** Samples in and rejected, the Kafka write path, ingesters, queries, compaction and the object store. */
export function mimirDashboard(scope: WorkloadScope): StackDashboard {
  const f = scopeFilter(scope);
  return componentDashboard({
    uid: 'stack-mimir',
    title: 'Observability stack / Mimir',
    description: 'Sample ingestion and rejections, ingest-storage lag, series in memory, queries, compaction, object storage and the ruler.',
    tags: ['mimir', 'metrics'],
    clusterMetric: 'cortex_build_info',
    scope,
    requestHistogram: 'cortex_request_duration_seconds',
    overview: [
      singleStat({ title: 'Samples received', description: 'Samples per second accepted by the distributors, after validation and HA de-duplication.', queries: [{ expr: rateOf('cortex_distributor_received_samples_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Samples discarded', description: 'Samples per second rejected: limits, out of order, too old, invalid labels.', queries: [{ expr: rateOf('cortex_discarded_samples_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Series in memory', description: 'Series held by the ingesters (each replica counts its own copy).', queries: [{ expr: `sum(cortex_ingester_memory_series{${f}})` }], unit: 'short', span: 4 }),
      singleStat({ title: 'Tenants', description: 'Tenants with data in the ingesters.', queries: [{ expr: `max(cortex_ingester_memory_users{${f}})` }], unit: 'short', span: 4 }),
      singleStat({ title: 'Ingest p99 delay', description: '99th percentile of the time from a write reaching Kafka to an ingester consuming it.', queries: [{ expr: quantileOf(0.99, 'cortex_ingest_storage_reader_receive_delay_seconds', `${f}, phase="running"`) }], unit: 's', span: 4 }),
      singleStat({ title: 'Since last compaction', description: 'Time since the compactor last completed a run successfully.', queries: [{ expr: `time() - max(cortex_compactor_last_successful_run_timestamp_seconds{${f}})` }], unit: 's', span: 4 }),
    ],
    sections: [
      {
        title: 'Write path',
        panels: [
          timeSeries({
            title: 'Samples by tenant',
            description: 'Samples per second arriving and accepted, per tenant: the gap is what was rejected or de-duplicated.',
            queries: [
              { expr: rateOf('cortex_distributor_samples_in_total', f, 'user'), legend: '{{user}} in' },
              { expr: rateOf('cortex_distributor_received_samples_total', f, 'user'), legend: '{{user}} accepted' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({ title: 'Discarded samples by reason', description: 'Samples per second rejected, by reason and tenant.', queries: [{ expr: rateOf('cortex_discarded_samples_total', f, 'reason, user'), legend: '{{user}}: {{reason}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Kafka write latency',
            description: '99th percentile of the distributors\' writes to Kafka, by outcome.',
            queries: [{ expr: quantileOf(0.99, 'cortex_ingest_storage_writer_latency_seconds', f, 'outcome'), legend: '{{outcome}}' }],
            unit: 's',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Ingest delay by ingester',
            description: '99th percentile of the time from Kafka to each ingester: the freshness of query results.',
            queries: [{ expr: quantileOf(0.99, 'cortex_ingest_storage_reader_receive_delay_seconds', `${f}, phase="running"`, 'pod'), legend: '{{pod}}' }],
            unit: 's',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Ingest errors',
            description: 'Kafka fetch errors, failed offset commits and records that failed to ingest, per second.',
            queries: [
              { expr: rateOf('cortex_ingest_storage_reader_fetch_errors_total', f), legend: 'fetch errors' },
              { expr: rateOf('cortex_ingest_storage_reader_offset_commit_failures_total', f), legend: 'commit failures' },
              { expr: rateOf('cortex_ingest_storage_reader_requests_failed_total', f, 'cause'), legend: 'failed records: {{cause}}' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({ title: 'Series by ingester', description: 'Series in memory per ingester: the main driver of ingester memory.', queries: [{ expr: `sum by (pod) (cortex_ingester_memory_series{${f}})`, legend: '{{pod}}' }], unit: 'short', min: 0, span: 8 }),
        ],
      },
      {
        title: 'Read path and storage',
        panels: [
          timeSeries({ title: 'Queries by tenant', description: 'Queries per second through the query-frontend, by tenant and kind.', queries: [{ expr: rateOf('cortex_query_frontend_queries_total', f, 'user, op'), legend: '{{user}} {{op}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({ title: 'Query queue', description: 'Queries waiting in the scheduler, per tenant.', queries: [{ expr: `sum by (user) (cortex_query_scheduler_queue_length{${f}})`, legend: '{{user}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Object storage',
            description: 'Object storage operations per second by component and operation, and failures.',
            queries: [
              { expr: rateOf('thanos_objstore_bucket_operations_total', f, 'component, operation'), legend: '{{component}} {{operation}}' },
              { expr: rateOf('thanos_objstore_bucket_operation_failures_total', f, 'component, operation'), legend: '{{component}} {{operation}} failed' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Compactor runs',
            description: 'Compaction runs completed and failed per hour.',
            queries: [
              { expr: `sum(increase(cortex_compactor_runs_completed_total{${f}}[1h]))`, legend: 'completed' },
              { expr: `sum(increase(cortex_compactor_runs_failed_total{${f}, reason="error"}[1h]))`, legend: 'failed' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Store-gateway blocks',
            description: 'Blocks loaded by the store-gateways, and failed loads per second.',
            queries: [
              { expr: `sum(cortex_bucket_store_blocks_loaded{${f}})`, legend: 'loaded' },
              { expr: rateOf('cortex_bucket_store_block_load_failures_total', f), legend: 'load failures' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Ruler and Alertmanager',
            description: 'Rule evaluations failing per second, and notifications the Alertmanager failed to send, by integration.',
            queries: [
              { expr: rateOf('cortex_prometheus_rule_evaluation_failures_total', f, 'user'), legend: '{{user}} rule failures' },
              { expr: rateOf('cortex_alertmanager_notifications_failed_total', f, 'integration'), legend: '{{integration}} notification failures' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          ringPanel('cortex_ring_members', f),
        ],
      },
    ],
  });
}
