import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { k8s } from 'cdk8s-plus-28';

/**
 * A JSON Schema of the Kubernetes 1.28 API, compiled from the type metadata that cdk8s-plus-28
 * ships (its jsii assembly records, for each generated binding, the OpenAPI definition and the
 * JSON name of every property, and which properties are required). Unlike the OpenAPI document
 * itself, every object here is closed: an unknown or misspelled field is an error, as it is for
 * `kubectl apply --validate=strict`.
 */
interface JsiiType {
  readonly fqn: string;
  readonly kind: 'interface' | 'class' | 'enum';
  readonly name: string;
  readonly docs?: { readonly custom?: { readonly schema?: string } };
  readonly properties?: readonly JsiiProperty[];
}
interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly type: JsiiTypeRef;
  readonly docs?: { readonly custom?: { readonly schema?: string } };
}
type JsiiTypeRef =
  | { readonly primitive: 'string' | 'number' | 'boolean' | 'any' | 'date' | 'json' }
  | { readonly collection: { readonly kind: 'array' | 'map'; readonly elementtype: JsiiTypeRef } }
  | { readonly fqn: string }
  | { readonly union: { readonly types: readonly JsiiTypeRef[] } };

const PREFIX = 'cdk8s-plus-28.k8s.';

function loadAssembly(): Record<string, JsiiType> {
  const dir = path.dirname(require.resolve('cdk8s-plus-28/package.json'));
  return JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8')).types;
}

function definitionName(type: JsiiType): string {
  return type.docs?.custom?.schema ?? type.name;
}

function jsonName(property: JsiiProperty): string {
  const schema = property.docs?.custom?.schema;
  return schema && schema.includes('#') ? schema.slice(schema.indexOf('#') + 1) : property.name;
}

export interface KubernetesSchema {
  /** Validates one object; returns human-readable errors (empty when valid). */
  validate(object: any): string[];
  /** Whether the API group/version/kind is part of Kubernetes 1.28. */
  knows(apiVersion: string, kind: string): boolean;
  /** Validates a value against a named definition (e.g. ObjectMeta of a custom resource). */
  validateDefinition(definition: string, value: unknown): string[];
}

export function loadKubernetesSchema(): KubernetesSchema {
  const types = loadAssembly();
  const definitions: Record<string, any> = {};

  const convert = (ref: JsiiTypeRef): any => {
    if ('primitive' in ref) {
      switch (ref.primitive) {
        case 'string':
        case 'date':
          return { type: 'string' };
        case 'number':
          return { type: 'number' };
        case 'boolean':
          return { type: 'boolean' };
        default:
          return {};
      }
    }
    if ('collection' in ref) {
      const element = convert(ref.collection.elementtype);
      return ref.collection.kind === 'array'
        ? { type: 'array', items: element }
        : { type: 'object', additionalProperties: element };
    }
    if ('union' in ref) return { anyOf: ref.union.types.map(convert) };
    const target = types[ref.fqn];
    if (ref.fqn === `${PREFIX}IntOrString`) return { type: ['string', 'integer'] };
    if (ref.fqn === `${PREFIX}Quantity`) return { type: ['string', 'number'] };
    if (!target || target.kind === 'enum') return { type: 'string' };
    return { $ref: `#/definitions/${definitionName(target)}` };
  };

  for (const type of Object.values(types)) {
    if (!type.fqn.startsWith(PREFIX) || type.kind !== 'interface') continue;
    const properties: Record<string, any> = {};
    const required: string[] = [];
    for (const p of type.properties ?? []) {
      properties[jsonName(p)] = convert(p.type);
      if (!p.optional) required.push(jsonName(p));
    }
    definitions[definitionName(type)] = {
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      additionalProperties: false,
    };
  }

  // Top-level kinds: every generated Kube* construct carries its apiVersion and kind.
  const topLevel = new Map<string, string>();
  for (const [className, value] of Object.entries(k8s)) {
    const gvk = (value as any)?.GVK as { apiVersion: string; kind: string } | undefined;
    const props = types[`${PREFIX}${className}Props`];
    if (!gvk || !props) continue;
    const base = definitions[definitionName(props)];
    const name = `${gvk.apiVersion}/${gvk.kind}`;
    const key = `top.${name.replace(/\//g, '.')}`;
    definitions[key] = {
      ...base,
      properties: { ...base.properties, apiVersion: { const: gvk.apiVersion }, kind: { const: gvk.kind } },
      required: [...(base.required ?? []), 'apiVersion', 'kind'],
    };
    topLevel.set(name, key);
  }

  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema({ $id: 'k8s', definitions });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (definition: string): ValidateFunction => {
    let fn = compiled.get(definition);
    if (!fn) {
      fn = ajv.getSchema(`k8s#/definitions/${definition}`);
      if (!fn) throw new Error(`No definition ${definition}`);
      compiled.set(definition, fn);
    }
    return fn;
  };
  const run = (definition: string, value: unknown): string[] => {
    const fn = validator(definition);
    if (fn(value)) return [];
    return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: "${e.params.additionalProperty}"` : ''}`);
  };

  return {
    knows: (apiVersion, kind) => topLevel.has(`${apiVersion}/${kind}`),
    validate: (object) => {
      const definition = topLevel.get(`${object?.apiVersion}/${object?.kind}`);
      if (!definition) return [`${object?.apiVersion}/${object?.kind} is not a Kubernetes 1.28 kind`];
      return run(definition, object);
    },
    validateDefinition: (definition, value) => run(definition, value),
  };
}
