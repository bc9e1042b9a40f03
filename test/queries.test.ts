import { promqlMetricNames, queryProblems, substituteVariables, promqlLabelUses } from './support/queries';

describe('the query checker', () => {
  test.each<[string, 'promql' | 'logql' | 'traceql', string]>([
    ['PromQL', 'promql', 'sum by (namespace) (rate(container_cpu_usage_seconds_total{namespace=~"$namespace"}[$__rate_interval]))'],
    ['LogQL', 'logql', 'sum by (level) (count_over_time({namespace="$namespace"} |= "error" | logfmt [$__interval]))'],
    ['TraceQL', 'traceql', '{ resource.service.name = "$service" && status = error } | select(span.http.url)'],
  ])('accepts valid %s after substituting variables', (_, language, query) => {
    expect(queryProblems(language, query)).toEqual([]);
  });

  test.each<[string, 'promql' | 'logql' | 'traceql', string]>([
    ['PromQL with an unclosed paren', 'promql', 'sum(rate(x[5m])'],
    ['PromQL with a bad duration', 'promql', 'rate(x[5 minutes])'],
    ['LogQL without a stream selector', 'logql', '|= "error"'],
    ['TraceQL with a dangling operator', 'traceql', '{ span.http.status_code >= }'],
  ])('refuses %s', (_, language, query) => {
    expect(queryProblems(language, query)).not.toEqual([]);
  });

  test('substitutes Grafana intervals and variables', () => {
    expect(substituteVariables('rate(x{a="$a",b="${b:regex}"}[$__rate_interval])')).toBe('rate(x{a="value",b="value"}[5m])');
  });

  test('finds the metric names a query reads', () => {
    expect(promqlMetricNames('sum(rate(a_total[5m])) / sum(b{c="d"}) + on() up')).toEqual(['a_total', 'b', 'up']);
  });
});

describe('label uses', () => {
  test('finds matcher labels per selector and grouping labels with the metrics they group', () => {
    const uses = promqlLabelUses('sum by (route) (rate(a_count{ws="false"}[5m])) / on (route) group_left () b{x=~"$v"}');
    expect(uses).toEqual(
      expect.arrayContaining([
        { label: 'route', metrics: ['a_count'], where: 'grouping' },
        { label: 'ws', metrics: ['a_count'], where: 'matcher' },
        { label: 'route', metrics: ['a_count', 'b'], where: 'grouping' },
        { label: 'x', metrics: ['b'], where: 'matcher' },
      ]),
    );
    expect(uses).toHaveLength(4);
  });
});
