/**
 * Grafana Alloy configuration as typed values, rendered to formatted Alloy syntax. Components are
 * built from small typed blocks; references between components are values, never strings, so a
 * renamed component cannot leave a dangling reference behind.
 */

/** A reference to another component's export, e.g. `loki.write.default.receiver`. */
export class AlloyRef {
  constructor(readonly expression: string) {}
}

/** An expression written as is (standard-library calls such as `sys.env("HOSTNAME")`). */
export class AlloyExpression {
  constructor(readonly source: string) {}
}

export type AlloyValue =
  | string
  | number
  | boolean
  | null
  | AlloyRef
  | AlloyExpression
  | readonly AlloyValue[]
  | { readonly [key: string]: AlloyValue };

/** A block: `name "label" { attributes... blocks... }`. Components are labelled top-level blocks. */
export interface AlloyBlock {
  /** e.g. `loki.write`, `endpoint`, `stage.cri`. */
  readonly name: string;
  /** Components carry a label; nested blocks usually do not. @default - none */
  readonly label?: string;
  /** Attributes in the order they render; undefined values are left out. @default - none */
  readonly attributes?: Readonly<Record<string, AlloyValue | undefined>>;
  /** @default - none */
  readonly blocks?: readonly AlloyBlock[];
  /** A comment rendered above the block. @default - none */
  readonly comment?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const BLOCK_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A reference to the export `field` of a labelled component block. */
export function ref(component: AlloyBlock, field: string): AlloyRef {
  if (!component.label) throw new Error(`ref: block ${component.name} has no label; only components can be referenced`);
  return new AlloyRef(`${component.name}.${component.label}.${field}`);
}

/** A string literal in Alloy syntax (Go-style escapes). */
export function quote(value: string): string {
  return JSON.stringify(value);
}

function renderValue(value: AlloyValue, indent: string): string {
  if (value === null) return 'null';
  if (value instanceof AlloyRef) return value.expression;
  if (value instanceof AlloyExpression) return value.source;
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Alloy cannot represent the number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  const inner = `${indent}\t`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const scalars = value.every((v) => v === null || typeof v !== 'object' || v instanceof AlloyRef || v instanceof AlloyExpression);
    if (scalars) return `[${value.map((v) => renderValue(v, indent)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${renderValue(v, inner)},\n`).join('')}${indent}]`;
  }
  const entries = Object.entries(value as Record<string, AlloyValue>);
  if (entries.length === 0) return '{}';
  const keys = entries.map(([k]) => (IDENTIFIER.test(k) ? k : quote(k)));
  const width = Math.max(...keys.map((k) => k.length));
  return `{\n${entries.map(([, v], i) => `${inner}${keys[i].padEnd(width)} = ${renderValue(v, inner)},\n`).join('')}${indent}}`;
}

function renderBlock(block: AlloyBlock, indent: string): string {
  if (!BLOCK_NAME.test(block.name)) throw new Error(`Alloy block name "${block.name}" is not valid`);
  const inner = `${indent}\t`;
  const lines: string[] = [];
  if (block.comment) for (const line of block.comment.split('\n')) lines.push(`${indent}// ${line}`);
  const label = block.label !== undefined ? ` ${quote(block.label)}` : '';
  const attributes = Object.entries(block.attributes ?? {}).filter(([, v]) => v !== undefined) as [string, AlloyValue][];
  const children = block.blocks ?? [];
  if (attributes.length === 0 && children.length === 0) {
    lines.push(`${indent}${block.name}${label} { }`);
    return lines.join('\n');
  }
  lines.push(`${indent}${block.name}${label} {`);
  for (const [key] of attributes) if (!IDENTIFIER.test(key)) throw new Error(`Alloy attribute "${key}" in ${block.name} is not an identifier`);
  // Like `alloy fmt`: the `=` of consecutive single-line attributes line up.
  const width = Math.max(0, ...attributes.map(([k]) => k.length));
  for (const [key, value] of attributes) lines.push(`${inner}${key.padEnd(width)} = ${renderValue(value, inner)}`);
  children.forEach((child, i) => {
    if (attributes.length > 0 || i > 0) lines.push('');
    lines.push(renderBlock(child, inner));
  });
  lines.push(`${indent}}`);
  return lines.join('\n');
}

/**
 * Renders a configuration. Component labels must be unique per component name: Alloy refuses a
 * configuration that declares `loki.write "default"` twice.
 */
export function renderAlloy(blocks: readonly AlloyBlock[]): string {
  const seen = new Set<string>();
  for (const b of blocks) {
    const id = `${b.name}.${b.label ?? ''}`;
    if (seen.has(id)) throw new Error(`Alloy component ${b.name} "${b.label}" is declared twice`);
    seen.add(id);
  }
  return `${blocks.map((b) => renderBlock(b, '')).join('\n\n')}\n`;
}
