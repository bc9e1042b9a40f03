import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';

/**
 * Parses queries with the grammars the query editors of Prometheus and Grafana use, after
 * substituting Grafana's template variables with values of the right kind. Returns the problems
 * (empty when the query parses), each with the offending position.
 */
export type QueryLanguage = 'promql' | 'logql' | 'traceql';

const INTERVALS = /\$__(rate_interval|interval|range|auto)(_ms|_s)?\b|\$\{__(rate_interval|interval|range)(?::[a-z]+)?\}/g;
const VARIABLES = /\$\{([A-Za-z0-9_]+)(?::[a-z]+)?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Replaces template variables: intervals by a duration, other variables by a plain value. */
export function substituteVariables(query: string): string {
  return query.replace(INTERVALS, '5m').replace(VARIABLES, 'value');
}

export function queryProblems(language: QueryLanguage, query: string): string[] {
  const text = substituteVariables(query);
  const parser = language === 'promql' ? promqlParser : language === 'logql' ? logqlParser : traceqlParser;
  const tree = parser.parse(text);
  const problems: string[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) problems.push(`${language} syntax error at ${node.from}: ${JSON.stringify(text.slice(Math.max(0, node.from - 10), node.to + 10))}`);
    },
  });
  if (text.trim() === '') problems.push(`${language}: empty query`);
  return problems;
}

/** Metric names a PromQL query selects (the identifiers of its vector selectors). */
export function promqlMetricNames(query: string): string[] {
  const text = substituteVariables(query);
  const tree = promqlParser.parse(text);
  const names = new Set<string>();
  tree.iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(text.slice(id.from, id.to));
      }
    },
  });
  return [...names].sort();
}

type SyntaxNode = ReturnType<typeof promqlParser.parse>['topNode'];

/** Labels a PromQL query relies on, each with the metrics that must carry it. */
export interface LabelUse {
  readonly label: string;
  readonly metrics: readonly string[];
  readonly where: 'matcher' | 'grouping';
}

/**
 * Every label a query names: in a selector's matchers (carried by that selector's metric), and in
 * `by (...)`/`on (...)` groupings (carried by at least one metric of the grouped expression).
 */
export function promqlLabelUses(query: string): LabelUse[] {
  const text = substituteVariables(query);
  const tree = promqlParser.parse(text);
  const uses: LabelUse[] = [];
  const metricsWithin = (node: SyntaxNode): string[] => {
    const names: string[] = [];
    const cursor = node.cursor();
    const end = node.to;
    do {
      if (cursor.from >= end) break;
      if (cursor.name === 'VectorSelector') {
        const id = cursor.node.getChild('Identifier');
        if (id) names.push(text.slice(id.from, id.to));
      }
    } while (cursor.next());
    return names;
  };
  const labelNames = (node: SyntaxNode | null): string[] => (node ? node.getChildren('LabelName').map((n) => text.slice(n.from, n.to)) : []);
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (ref.name === 'VectorSelector') {
        const id = node.getChild('Identifier');
        const matchers = node.getChild('LabelMatchers');
        if (!id || !matchers) return;
        const metric = text.slice(id.from, id.to);
        for (const m of matchers.getChildren('UnquotedLabelMatcher')) uses.push({ label: labelNames(m)[0], metrics: [metric], where: 'matcher' });
      } else if (ref.name === 'AggregateModifier') {
        const metrics = metricsWithin(node.parent!);
        for (const label of labelNames(node.getChild('GroupingLabels'))) uses.push({ label, metrics, where: 'grouping' });
      } else if (ref.name === 'MatchingModifierClause') {
        const metrics = metricsWithin(node.parent!);
        for (const g of node.getChildren('GroupingLabels')) for (const label of labelNames(g)) uses.push({ label, metrics, where: 'grouping' });
      }
    },
  });
  return uses;
}
