import Ajv, { ValidateFunction } from 'ajv';

/**
 * Turns a CRD's structural `openAPIV3Schema` into a JSON Schema that validates the way the API
 * server does, and more strictly in one respect: a field the schema does not declare is an error
 * rather than silently pruned (the API server drops it, so the setting would be lost).
 * CEL rules (`x-kubernetes-validations`) are not evaluated.
 */
export function toJsonSchema(node: any): any {
  if (node === undefined || node === null || typeof node !== 'object') return {};
  const out: any = {};
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (intOrString) {
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  } else if (node.type) {
    out.type = node.nullable ? [node.type, 'null'] : node.type;
  }
  for (const key of ['enum', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'required', 'multipleOf', 'uniqueItems']) {
    if (node[key] !== undefined) out[key] = node[key];
  }
  if (node.nullable && out.enum) out.enum = [...out.enum, null];
  // OpenAPI v3.0 uses booleans for exclusive bounds; JSON Schema draft-07 uses numbers.
  if (typeof out.exclusiveMinimum === 'boolean') {
    if (out.exclusiveMinimum && out.minimum !== undefined) out.exclusiveMinimum = out.minimum;
    else delete out.exclusiveMinimum;
    if (out.exclusiveMinimum !== undefined) delete out.minimum;
  }
  if (typeof out.exclusiveMaximum === 'boolean') {
    if (out.exclusiveMaximum && out.maximum !== undefined) out.exclusiveMaximum = out.maximum;
    else delete out.exclusiveMaximum;
    if (out.exclusiveMaximum !== undefined) delete out.maximum;
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(node[key])) {
      const converted = node[key].map(toJsonSchema);
      out[key] = out[key] ? [...out[key], ...converted] : converted;
    }
  }
  if (node.not) out.not = toJsonSchema(node.not);
  if (node.items) out.items = toJsonSchema(node.items);
  const properties: Record<string, any> = {};
  if (node.properties) {
    for (const [name, child] of Object.entries(node.properties)) properties[name] = toJsonSchema(child);
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    properties.apiVersion ??= { type: 'string' };
    properties.kind ??= { type: 'string' };
    properties.metadata ??= { type: 'object' };
  }
  if (Object.keys(properties).length) out.properties = properties;
  if (node.additionalProperties !== undefined) {
    out.additionalProperties = typeof node.additionalProperties === 'boolean' ? node.additionalProperties : toJsonSchema(node.additionalProperties);
  } else if (!preserveUnknown && (node.type === 'object' || node.properties) && node.properties) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * CRD patterns are Go RE2 expressions. JavaScript has no inline `(?i)` flag: such a pattern is
 * compiled case-insensitive as a whole, which can only make it more lenient about letter case.
 */
function goRegExp(pattern: string, flags: string): RegExp {
  if (!pattern.includes('(?i)')) return new RegExp(pattern, flags);
  return new RegExp(pattern.split('(?i)').join(''), `${flags}i`);
}
(goRegExp as any).code = 'goRegExp';

export interface CrdSchemas {
  /** Validates a custom resource; empty when valid. */
  validate(object: any): string[];
  knows(apiVersion: string, kind: string): boolean;
  /** Whether the kind is namespaced. */
  namespaced(apiVersion: string, kind: string): boolean;
}

/** Compiles validators for every served version of every CRD given. */
export function compileCrdSchemas(crds: readonly any[]): CrdSchemas {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { regExp: goRegExp as any } });
  const validators = new Map<string, ValidateFunction>();
  const scopes = new Map<string, boolean>();
  for (const crd of crds) {
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      const key = `${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
      validators.set(key, ajv.compile(toJsonSchema(version.schema.openAPIV3Schema)));
      scopes.set(key, crd.spec.scope === 'Namespaced');
    }
  }
  return {
    knows: (apiVersion, kind) => validators.has(`${apiVersion}/${kind}`),
    namespaced: (apiVersion, kind) => scopes.get(`${apiVersion}/${kind}`) ?? false,
    validate: (object) => {
      const fn = validators.get(`${object.apiVersion}/${object.kind}`);
      if (!fn) return [`no CRD for ${object.apiVersion}/${object.kind}`];
      if (fn(object)) return [];
      return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: "${e.params.additionalProperty}"` : ''}`);
    },
  };
}
