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

/** Span ingestion, the Kafka path to the live-stores and block-builders, the backend, queries, metrics-generator. */
export function tempoDashboard(scope: WorkloadScope): StackDashboard {
  const f = scopeFilter(scope);
  return componentDashboard({
    uid: 'stack-tempo',
    title: 'Observability stack / Tempo',
    description: 'Span ingestion and rejections, Kafka consumption lag, live traces, blocks and compaction, queries and the metrics-generator.',
    tags: ['tempo', 'traces'],
    clusterMetric: 'tempo_build_info',
    scope,
    requestHistogram: 'tempo_request_duration_seconds',
    overview: [
      singleStat({ title: 'Spans received', description: 'Spans per second accepted by the distributors.', queries: [{ expr: rateOf('tempo_distributor_spans_received_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Bytes received', description: 'Trace bytes per second accepted by the distributors.', queries: [{ expr: rateOf('tempo_distributor_bytes_received_total', f) }], unit: 'Bps', span: 4 }),
      singleStat({ title: 'Spans discarded', description: 'Spans per second dropped: rate limits, traces too large, live trace limits.', queries: [{ expr: rateOf('tempo_discarded_spans_total', f) }], unit: 'short', span: 4 }),
      singleStat({ title: 'Live traces', description: 'Traces the live-stores hold in memory (each replica counts its own copy).', queries: [{ expr: `sum(tempo_live_store_live_traces{${f}})` }], unit: 'short', span: 4 }),
      singleStat({ title: 'Worst consumer lag', description: 'The largest delay, in seconds, of any consumer group on any Kafka partition.', queries: [{ expr: `max(tempo_ingest_group_partition_lag_seconds{${f}})` }], unit: 's', span: 4 }),
      singleStat({ title: 'Blocks in backend', description: 'Blocks in object storage across tenants.', queries: [{ expr: `sum(max by (tenant) (tempodb_blocklist_length{${f}}))` }], unit: 'short', span: 4 }),
    ],
    sections: [
      {
        title: 'Ingestion',
        panels: [
          timeSeries({ title: 'Spans received by tenant', description: 'Spans per second accepted, per tenant.', queries: [{ expr: rateOf('tempo_distributor_spans_received_total', f, 'tenant'), legend: '{{tenant}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({ title: 'Discarded spans by reason', description: 'Spans per second dropped, by reason and tenant.', queries: [{ expr: rateOf('tempo_discarded_spans_total', f, 'reason, tenant'), legend: '{{tenant}}: {{reason}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Receiver refusals',
            description: 'Spans per second each receiver accepted and refused (OTLP, Jaeger, Zipkin).',
            queries: [
              { expr: `sum by (receiver, transport) (rate(tempo_receiver_accepted_spans{${f}}[$__rate_interval]))`, legend: '{{receiver}}/{{transport}} accepted' },
              { expr: `sum by (receiver, transport) (rate(tempo_receiver_refused_spans{${f}}[$__rate_interval]))`, legend: '{{receiver}}/{{transport}} refused' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'Kafka and live-stores',
        panels: [
          timeSeries({ title: 'Consumer lag by group', description: 'Seconds each consumer group (live-store, block-builder, metrics-generator) trails the newest record, worst partition.', queries: [{ expr: `max by (group) (tempo_ingest_group_partition_lag_seconds{${f}})`, legend: '{{group}}' }], unit: 's', min: 0, span: 8 }),
          timeSeries({
            title: 'Blocks built',
            description: 'Blocks per second the block-builders flushed to object storage, and fetch errors from Kafka.',
            queries: [
              { expr: `sum(rate(tempo_block_builder_flushed_blocks{${f}}[$__rate_interval]))`, legend: 'flushed' },
              { expr: rateOf('tempo_block_builder_fetch_errors_total', f), legend: 'fetch errors' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Live-store blocks',
            description: 'Blocks the live-stores completed and failed to complete per second, and their completion queue.',
            queries: [
              { expr: rateOf('tempo_live_store_blocks_completed_total', f), legend: 'completed' },
              { expr: rateOf('tempo_live_store_failed_completions_total', f), legend: 'failed' },
              { expr: `sum(tempo_live_store_complete_queue_length{${f}})`, legend: 'queued' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
        ],
      },
      {
        title: 'Backend',
        panels: [
          timeSeries({
            title: 'Backend jobs',
            description: 'Compaction and retention jobs the backend-scheduler created, completed and failed per second.',
            queries: [
              { expr: rateOf('tempo_backend_scheduler_jobs_created_total', f, 'job_type'), legend: '{{job_type}} created' },
              { expr: rateOf('tempo_backend_scheduler_jobs_completed_total', f, 'job_type'), legend: '{{job_type}} completed' },
              { expr: rateOf('tempo_backend_scheduler_jobs_failed_total', f, 'job_type'), legend: '{{job_type}} failed' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({ title: 'Blocks awaiting compaction', description: 'Blocks per tenant that compaction has yet to merge.', queries: [{ expr: `max by (tenant) (tempodb_compaction_outstanding_blocks{${f}})`, legend: '{{tenant}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({ title: 'Object storage p99 latency', description: 'Latency of object storage calls by operation (the local backend reports none).', queries: [{ expr: quantileOf(0.99, 'tempodb_backend_request_duration_seconds', f, 'operation'), legend: '{{operation}}' }], unit: 's', min: 0, span: 8 }),
        ],
      },
      {
        title: 'Queries and metrics-generator',
        panels: [
          timeSeries({ title: 'Queries by kind', description: 'Queries per second by kind (trace, search, metadata, metrics) and result.', queries: [{ expr: rateOf('tempo_query_frontend_queries_total', f, 'op, result'), legend: '{{op}} {{result}}' }], unit: 'short', min: 0, span: 8 }),
          timeSeries({
            title: 'Generator spans',
            description: 'Spans per second the metrics-generator received and discarded, by reason.',
            queries: [
              { expr: rateOf('tempo_metrics_generator_spans_received_total', f), legend: 'received' },
              { expr: rateOf('tempo_metrics_generator_spans_discarded_total', f, 'reason'), legend: 'discarded: {{reason}}' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          timeSeries({
            title: 'Generated series',
            description: 'Active series the metrics-generator produces per tenant, and series refused by its limit.',
            queries: [
              { expr: `sum by (tenant) (tempo_metrics_generator_registry_active_series{${f}})`, legend: '{{tenant}} active' },
              { expr: rateOf('tempo_metrics_generator_registry_series_limited_total', f, 'tenant'), legend: '{{tenant}} limited' },
            ],
            unit: 'short',
            min: 0,
            span: 8,
          }),
          ringPanel('tempo_ring_members', f),
        ],
      },
    ],
  });
}
