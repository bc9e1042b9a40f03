import reference from '../../lib/alloy/component-reference.json';
import { AlloyBlock, AlloyExpression, ref, renderAlloy } from '../../lib/alloy/syntax';
import { IMAGES } from '../../lib/common/images';
import { alloyProblems, alloyReferenceProblems, parseAlloy } from '../support/alloy-parser';

const write: AlloyBlock = {
  name: 'loki.write',
  label: 'default',
  blocks: [{ name: 'endpoint', attributes: { url: 'http://loki.obs.svc:3100/loki/api/v1/push', tenant_id: 'platform' } }],
};
const source: AlloyBlock = {
  name: 'loki.source.kubernetes',
  label: 'pods',
  attributes: { targets: new AlloyExpression('discovery.relabel.pods.output'), forward_to: [ref(write, 'receiver')] },
};
const relabel: AlloyBlock = { name: 'discovery.relabel', label: 'pods', attributes: { targets: [] } };

describe('rendering Alloy syntax', () => {
  const text = renderAlloy([relabel, write, source]);

  test('renders blocks, labels, aligned attributes, references and lists', () => {
    expect(text).toContain('loki.write "default" {\n\tendpoint {\n\t\turl       = "http://loki.obs.svc:3100/loki/api/v1/push"\n\t\ttenant_id = "platform"\n\t}\n}');
    expect(text).toContain('\tforward_to = [loki.write.default.receiver]');
  });

  test('what it renders parses, and every reference resolves', () => {
    expect(alloyProblems(text)).toEqual([]);
    expect(parseAlloy(text).components.map((c) => `${c.name}/${c.label}`)).toEqual(['discovery.relabel/pods', 'loki.write/default', 'loki.source.kubernetes/pods']);
  });

  test('strings are escaped', () => {
    const t = renderAlloy([{ name: 'x.y', label: 'a', attributes: { s: 'quote " and \\ and\nnewline', o: { 'X-Scope-OrgID': 'p', plain: 1 } } }]);
    expect(alloyProblems(t)).toEqual([]);
    const parsed = parseAlloy(t).components[0].attributes as any;
    expect(parsed.s).toBe('quote " and \\ and\nnewline');
    expect(parsed.o).toEqual({ 'X-Scope-OrgID': 'p', plain: 1 });
  });

  test('a component declared twice is refused before it reaches Alloy', () => {
    expect(() => renderAlloy([write, write])).toThrow('Alloy component loki.write "default" is declared twice');
  });

  test('only labelled components can be referenced', () => {
    expect(() => ref({ name: 'endpoint' }, 'x')).toThrow(/has no label/);
  });
});

describe('the Alloy checker finds what Alloy would refuse', () => {
  test.each([
    ['an unbalanced block', 'loki.write "a" {\n endpoint {\n url = "x"\n}', /syntax: expected "}" at end of file/],
    ['an unterminated string', 'loki.write "a" { x = "oops }', /syntax: unterminated string/],
    ['a stray character', 'loki.write "a" { x = 1; }', /syntax: unexpected character ";"/],
    ['a reference to nothing', 'loki.source.file "a" { forward_to = [loki.write.missing.receiver] }', /reference to an undefined component: loki\.write\.missing\.receiver/],
    ['a duplicate component', 'loki.write "a" { }\nloki.write "a" { }', /loki\.write "a" declared twice/],
    ['an attribute set twice', 'x.y "a" { k = 1\n k = 2 }', /attribute "k" set twice/],
  ])('%s', (_, text, problem) => {
    expect(alloyProblems(text).join('\n')).toMatch(problem);
  });

  test('standard-library calls and constants are not component references', () => {
    expect(alloyProblems('x.y "a" { host = sys.env("HOSTNAME")\n os = constants.os }')).toEqual([]);
  });
});

describe('checking a configuration against the pinned Alloy version', () => {
  const good = renderAlloy([
    { name: 'discovery.kubernetes', label: 'pods', attributes: { role: 'pod' } },
    { name: 'discovery.relabel', label: 'pods', attributes: { targets: new AlloyExpression('discovery.kubernetes.pods.targets') }, blocks: [{ name: 'rule', attributes: { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' } }] },
    write,
    { name: 'loki.source.kubernetes', label: 'pods', attributes: { targets: new AlloyExpression('discovery.relabel.pods.output'), forward_to: [ref(write, 'receiver')] }, blocks: [{ name: 'clustering', attributes: { enabled: true } }] },
  ]);

  test('the recorded reference is for the pinned image', () => {
    expect(`v${reference.version}`).toBe(IMAGES.alloy.tag);
  });

  test('accepts real components, arguments, blocks and exports', () => {
    expect(alloyReferenceProblems(good, reference.components)).toEqual([]);
  });

  test.each([
    ['an unknown component', 'loki.writer "x" { }', 'no component "loki.writer" in this Alloy version'],
    ['an unknown argument', 'loki.write "x" { max_stream = 1 }', 'loki.write: has no argument "max_stream"'],
    ['an unknown block', 'loki.write "x" { endpoints { url = "u" } }', 'loki.write: has no block "endpoints"'],
    ['an unknown block argument', 'loki.write "x" { endpoint { tenant = "t" } }', 'loki.write: block endpoint has no argument "tenant"'],
    ['pyroscope.write has no tenant_id (use headers)', 'pyroscope.write "x" { endpoint { url = "u"\n tenant_id = "t" } }', 'pyroscope.write: block endpoint has no argument "tenant_id"'],
    ['a missing export', 'loki.write "x" { }\nloki.source.file "f" { targets = []\n forward_to = [loki.write.x.input] }', 'loki.write exports no "input" (referenced as loki.write.x.input)'],
  ])('refuses %s', (_, text, problem) => {
    expect(alloyReferenceProblems(text, reference.components)).toContain(problem);
  });
});
