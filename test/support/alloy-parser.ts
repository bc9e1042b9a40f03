/**
 * A parser for the subset of Alloy syntax the stack renders: blocks with optional labels,
 * attributes, strings, numbers, booleans, null, lists, objects, dotted references and function
 * calls. It reports what Alloy itself would refuse to load: unbalanced blocks, bad strings,
 * unknown tokens, a component declared twice, and references to components that do not exist.
 */

type Token =
  | { kind: 'ident'; value: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: string; pos: number }
  | { kind: 'punct'; value: string; pos: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unterminated comment at ${i}`);
      i = end + 2;
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\n') throw new Error(`newline inside string at ${start}`);
        i += source[i] === '\\' ? 2 : 1;
      }
      if (i >= source.length) throw new Error(`unterminated string at ${start}`);
      i++;
      tokens.push({ kind: 'string', value: JSON.parse(source.slice(start, i)), pos: start });
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      if (end < 0) throw new Error(`unterminated raw string at ${i}`);
      tokens.push({ kind: 'string', value: source.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: 'number', value: m[0], pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'ident', value: m[0], pos: i });
      i += m[0].length;
    } else if ('{}[](),=.'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, pos: i });
      i++;
    } else {
      throw new Error(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

export interface ParsedComponent {
  readonly name: string;
  readonly label: string | undefined;
  /** Attribute names of the block, and nested blocks by name. */
  readonly attributes: Record<string, unknown>;
  readonly blocks: ParsedComponent[];
}

export interface ParsedAlloy {
  readonly components: ParsedComponent[];
  /** Every dotted reference used in an expression, e.g. `loki.write.default.receiver`. */
  readonly references: string[];
}

/** Namespaces of Alloy's standard library, which references may use without a component. */
const STDLIB = ['constants', 'sys', 'env', 'encoding', 'string', 'array', 'convert', 'json_path', 'coalesce', 'format', 'join', 'concat'];

export function parseAlloy(source: string): ParsedAlloy {
  const tokens = tokenize(source);
  const references: string[] = [];
  let p = 0;
  const peek = (offset = 0) => tokens[p + offset];
  const fail = (what: string): never => {
    const t = peek();
    throw new Error(`${what} at ${t ? `${t.kind} ${JSON.stringify(t.value)} (offset ${t.pos})` : 'end of file'}`);
  };
  const expect = (value: string) => {
    const t = peek();
    if (!t || t.kind !== 'punct' || t.value !== value) fail(`expected "${value}"`);
    p++;
  };
  const isPunct = (value: string, offset = 0) => peek(offset)?.kind === 'punct' && peek(offset)!.value === value;

  const dottedName = (): string => {
    const parts: string[] = [];
    if (peek()?.kind !== 'ident') fail('expected an identifier');
    parts.push(tokens[p++].value);
    while (isPunct('.') && peek(1)?.kind === 'ident') {
      p++;
      parts.push(tokens[p++].value);
    }
    return parts.join('.');
  };

  const expression = (): unknown => {
    const t = peek();
    if (!t) return fail('expected a value');
    if (t.kind === 'string') return tokens[p++].value;
    if (t.kind === 'number') return Number(tokens[p++].value);
    if (t.kind === 'punct' && t.value === '[') {
      p++;
      const items: unknown[] = [];
      while (!isPunct(']')) {
        items.push(expression());
        if (isPunct(',')) p++;
        else if (!isPunct(']')) fail('expected "," or "]"');
      }
      p++;
      return items;
    }
    if (t.kind === 'punct' && t.value === '{') {
      p++;
      const object: Record<string, unknown> = {};
      while (!isPunct('}')) {
        const key = peek();
        if (!key || (key.kind !== 'ident' && key.kind !== 'string')) fail('expected an object key');
        p++;
        expect('=');
        object[key!.value] = expression();
        if (isPunct(',')) p++;
        else if (!isPunct('}')) fail('expected "," or "}"');
      }
      p++;
      return object;
    }
    if (t.kind === 'ident') {
      if (['true', 'false', 'null'].includes(t.value) && !isPunct('.', 1)) {
        p++;
        return t.value === 'null' ? null : t.value === 'true';
      }
      const name = dottedName();
      if (isPunct('(')) {
        p++;
        const args: unknown[] = [];
        while (!isPunct(')')) {
          args.push(expression());
          if (isPunct(',')) p++;
          else if (!isPunct(')')) fail('expected "," or ")"');
        }
        p++;
        return { call: name, args };
      }
      references.push(name);
      return { ref: name };
    }
    return fail('expected a value');
  };

  const body = (closing: boolean): { attributes: Record<string, unknown>; blocks: ParsedComponent[] } => {
    const attributes: Record<string, unknown> = {};
    const blocks: ParsedComponent[] = [];
    while (peek() && !(closing && isPunct('}'))) {
      const name = dottedName();
      if (isPunct('=')) {
        if (name.includes('.')) fail(`attribute name "${name}" cannot contain "."`);
        if (name in attributes) fail(`attribute "${name}" set twice`);
        p++;
        attributes[name] = expression();
        continue;
      }
      let label: string | undefined;
      if (peek()?.kind === 'string') label = tokens[p++].value;
      expect('{');
      const inner = body(true);
      expect('}');
      blocks.push({ name, label, ...inner });
    }
    return { attributes, blocks };
  };

  const top = body(false);
  if (Object.keys(top.attributes).length) fail('attributes are not allowed at the top level');
  return { components: top.blocks, references };
}

/** What is wrong with a configuration, in Alloy's terms; empty when it would load. */
export function alloyProblems(source: string): string[] {
  let parsed: ParsedAlloy;
  try {
    parsed = parseAlloy(source);
  } catch (error) {
    return [`syntax: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const declared = new Set<string>();
  for (const c of parsed.components) {
    const id = c.label === undefined ? c.name : `${c.name}.${c.label}`;
    if (declared.has(id)) problems.push(`${c.name} "${c.label}" declared twice`);
    declared.add(id);
  }
  for (const reference of parsed.references) {
    if (STDLIB.includes(reference.split('.')[0])) continue;
    const known = [...declared].some((id) => reference.startsWith(`${id}.`));
    if (!known) problems.push(`reference to an undefined component: ${reference}`);
  }
  return problems;
}

export interface AlloyComponentReference {
  readonly arguments: readonly string[];
  readonly blocks: Readonly<Record<string, readonly string[]>>;
  readonly exports: readonly string[];
}

/**
 * What a configuration uses that the pinned Alloy version does not have: components, arguments,
 * blocks, block arguments, and exports named in references.
 */
export function alloyReferenceProblems(source: string, reference: Readonly<Record<string, AlloyComponentReference>>): string[] {
  const { components, references } = parseAlloy(source);
  const problems: string[] = [];
  const walk = (componentName: string, ref: AlloyComponentReference, block: ParsedComponent, at: string) => {
    const allowed = at === '' ? ref.arguments : ref.blocks[at] ?? [];
    for (const attribute of Object.keys(block.attributes)) {
      if (!allowed.includes(attribute)) problems.push(`${componentName}: ${at ? `block ${at} has` : 'has'} no argument "${attribute}"`);
    }
    for (const child of block.blocks) {
      const path = at ? `${at}.${child.name}` : child.name;
      if (!(path in ref.blocks)) problems.push(`${componentName}: has no block "${path}"`);
      else walk(componentName, ref, child, path);
    }
  };
  for (const c of components) {
    const ref = reference[c.name];
    if (!ref) {
      problems.push(`no component "${c.name}" in this Alloy version`);
      continue;
    }
    walk(c.name, ref, c, '');
  }
  for (const r of references) {
    const owner = components.find((c) => c.label !== undefined && r.startsWith(`${c.name}.${c.label}.`));
    if (!owner || !reference[owner.name]) continue;
    const field = r.slice(`${owner.name}.${owner.label}.`.length).split('.')[0];
    if (!reference[owner.name].exports.includes(field)) problems.push(`${owner.name} exports no "${field}" (referenced as ${r})`);
  }
  return problems;
}
