import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Every optional prop says what happens when it is left out, and a documented value is the value
 * the code applies: a `@default 30` beside a table that says 14 misleads the one reader who needs
 * it. Interfaces `FooSettings`/`FooProps`/`Foo` are checked against the `FOO_DEFAULTS` table of
 * their module (StackConfig against `DEFAULTS`), including the members they inherit.
 */

const ROOT = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

interface Member {
  readonly interfaceName: string;
  readonly name: string;
  readonly optional: boolean;
  /** The text of its @default tag, if any. */
  readonly documented?: string;
}

interface Declared {
  readonly file: string;
  readonly name: string;
  readonly members: readonly Member[];
  readonly bases: readonly string[];
}

function declaredInterfaces(): Declared[] {
  const found: Declared[] = [];
  for (const file of sources(path.join(ROOT, 'lib'))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isInterfaceDeclaration(node)) {
        const name = node.name.text;
        const members = node.members.filter(ts.isPropertySignature).map((m) => {
          const tag = ts.getJSDocTags(m).find((t) => t.tagName.text === 'default');
          const comment = tag ? ts.getTextOfJSDocComment(tag.comment) : undefined;
          return { interfaceName: name, name: m.name.getText(source), optional: m.questionToken !== undefined, documented: tag ? (comment ?? '').trim() : undefined };
        });
        const bases = (node.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t.expression.getText(source)));
        found.push({ file, name, members, bases });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

const interfaces = declaredInterfaces();
const byName = new Map(interfaces.map((i) => [i.name, i]));

/** Members of an interface and of the interfaces it extends (declared in lib/). */
function allMembers(declared: Declared): Member[] {
  return [...declared.members, ...declared.bases.flatMap((b) => (byName.has(b) ? allMembers(byName.get(b)!) : []))];
}

/** `PrometheusOperatorSettings` -> `PROMETHEUS_OPERATOR_DEFAULTS` (or `OpenCost` -> `OPENCOST_DEFAULTS`). */
function defaultsNames(interfaceName: string): string[] {
  if (interfaceName === 'StackConfig') return ['DEFAULTS'];
  const stem = interfaceName.replace(/(Settings|Props)$/, '');
  return [`${stem.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_DEFAULTS`, `${stem.toUpperCase()}_DEFAULTS`];
}

/** A documented literal (`'info'`, `30`, `true`, `50000`), or undefined for prose and references. */
function literal(text: string): { value: unknown } | undefined {
  if (/^'[^']*'$/.test(text)) return { value: text.slice(1, -1) };
  if (/^-?[0-9][0-9_]*(\.[0-9]+)?$/.test(text)) return { value: Number(text.replace(/_/g, '')) };
  if (text === 'true' || text === 'false') return { value: text === 'true' };
  return undefined;
}

/** `MIMIR_DEFAULTS.components.ingester` -> its value, if the module exports that table and path. */
function reference(text: string, modules: readonly Record<string, unknown>[]): { value: unknown } | undefined {
  const match = /^([A-Z][A-Z0-9_]*)((?:\.[A-Za-z0-9_]+)*)(?::|$)/.exec(text);
  if (!match) return undefined;
  for (const module of modules) {
    if (!(match[1] in module)) continue;
    let value: unknown = module[match[1]];
    for (const key of match[2].split('.').filter(Boolean)) {
      if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return { value };
  }
  return undefined;
}

describe('documented defaults', () => {
  const optional = interfaces.flatMap((i) => i.members.filter((m) => m.optional).map((m) => ({ ...m, file: path.relative(ROOT, i.file) })));

  test('the scan sees the interfaces of lib/', () => {
    expect(byName.has('MimirSettings')).toBe(true);
    expect(optional.length).toBeGreaterThan(150);
  });

  test('every optional prop documents its default', () => {
    const undocumented = optional.filter((m) => m.documented === undefined).map((m) => `${m.file}: ${m.interfaceName}.${m.name}`);
    expect(undocumented).toEqual([]);
  });

  test('every @default is a literal, a reference to a defaults table, or prose after "- "', () => {
    const modules = [...new Set(interfaces.map((i) => i.file))].map((f) => require(f) as Record<string, unknown>);
    const malformed = optional
      .filter((m) => m.documented !== undefined)
      .filter((m) => !m.documented!.startsWith('- ') && !literal(m.documented!) && !reference(m.documented!, modules))
      .map((m) => `${m.file}: ${m.interfaceName}.${m.name} @default ${m.documented}`);
    expect(malformed).toEqual([]);
  });

  const checked = interfaces.flatMap((declared) => {
    const table = defaultsNames(declared.name).find((name) => name in (require(declared.file) as object));
    return table ? [{ declared, table }] : [];
  });

  test('the interfaces with a defaults table include every backend, collector and UI', () => {
    const names = checked.map((c) => c.declared.name);
    for (const expected of ['MimirSettings', 'LokiSettings', 'TempoSettings', 'PyroscopeSettings', 'PrometheusSettings', 'GrafanaSettings', 'AlloySettings', 'OpenCostSettings', 'StackConfig']) {
      expect(names).toContain(expected);
    }
  });

  test.each(checked.map((c) => [c.declared.name, c.table, c.declared] as const))('%s: every documented value is the one %s applies', (_, table, declared) => {
    const module = require(declared.file) as Record<string, unknown>;
    const defaults = module[table] as Record<string, unknown>;
    const wrong: string[] = [];
    for (const member of allMembers(declared)) {
      const documented = member.documented;
      if (documented === undefined || !(member.name in defaults)) continue;
      const applied = defaults[member.name];
      const stated = literal(documented) ?? (documented.startsWith('- ') ? undefined : reference(documented, [module]));
      if (stated && JSON.stringify(stated.value) !== JSON.stringify(applied)) {
        wrong.push(`${member.interfaceName}.${member.name}: documented ${documented}, applied ${JSON.stringify(applied)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
