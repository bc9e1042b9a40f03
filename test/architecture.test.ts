import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The shape of the tree: data flows config -> charts -> constructs -> API objects. lib/ is the
 * library and never reaches into charts/ (the app); no module imports itself back through others,
 * type imports included, so any folder can be read, tested and changed from its dependencies up.
 */

const ROOT = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const relative = path.join(dir, e.name);
    if (e.isDirectory()) return sources(relative);
    return e.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Module -> the project modules it imports or re-exports (relative paths, without extension). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const targets: string[] = [];
    for (const statement of source.statements) {
      const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      const resolved = path.normalize(path.join(path.dirname(file), specifier.text));
      const candidates = [`${resolved}.ts`, path.join(resolved, 'index.ts')];
      const found = candidates.find((c) => fs.existsSync(path.join(ROOT, c)));
      if (found) targets.push(found.replace(/\.ts$/, ''));
    }
    graph.set(file.replace(/\.ts$/, ''), targets);
  }
  return graph;
}

/** Every cycle's modules, as strongly connected components of more than one module (or a self-import). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

const files = [...sources('lib'), ...sources('charts'), ...sources('environments'), 'main.ts'];
const graph = importGraph(files);

describe('the import graph', () => {
  test('is read from every module of the app', () => {
    expect(graph.size).toBeGreaterThan(60);
    expect(graph.get('charts/stack')).toContain('charts/backends');
  });

  test('has no cycle, type imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  test('lib/ never imports charts/, environments/ or main', () => {
    const upward = [...graph].filter(([from]) => from.startsWith('lib/')).flatMap(([from, to]) => to.filter((t) => /^(charts|environments)\/|^main$/.test(t)).map((t) => `${from} -> ${t}`));
    expect(upward).toEqual([]);
  });

  test('the cycle finder finds a cycle', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });
});
