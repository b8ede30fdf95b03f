import { AppError, ErrorCode } from '@streamrec/foundation';
import { crc64AvroBytes } from './crc64-avro.js';

/**
 * Parsing Canonical Form of an Avro schema (Avro specification, "Parsing Canonical Form for
 * Schemas"): primitives in simple form, full names without namespace attributes, only the
 * attributes relevant to parsing (name, type, fields, symbols, items, values, size) in that order,
 * no whitespace. Two schemas that read the same bytes the same way have the same canonical form,
 * which is what the single-object encoding fingerprints. Written from the spec rather than taken
 * from avsc so the fingerprint does not depend on a library's internals.
 */

const PRIMITIVES: ReadonlySet<string> = new Set([
  'null',
  'boolean',
  'int',
  'long',
  'float',
  'double',
  'bytes',
  'string',
]);

type JsonObject = Readonly<Record<string, unknown>>;

export function parsingCanonicalForm(schema: unknown): string {
  return canonical(schema, '', new Set<string>());
}

/** CRC-64-AVRO of the schema's Parsing Canonical Form, 8 bytes little-endian. */
export function schemaFingerprint(schema: unknown): Buffer {
  return crc64AvroBytes(Buffer.from(parsingCanonicalForm(schema), 'utf8'));
}

function canonical(schema: unknown, namespace: string, defined: Set<string>): string {
  if (typeof schema === 'string') {
    return PRIMITIVES.has(schema) ? JSON.stringify(schema) : JSON.stringify(resolveReference(schema, namespace, defined));
  }
  if (Array.isArray(schema)) {
    return `[${schema.map((branch) => canonical(branch, namespace, defined)).join(',')}]`;
  }
  if (!isObject(schema)) throw invalid(`a schema must be a string, an array or an object, got ${JSON.stringify(schema)}`);
  const type = schema['type'];
  if (typeof type !== 'string') {
    throw invalid(`a schema object needs a string "type", got ${JSON.stringify(type)}`);
  }
  switch (type) {
    case 'record':
    case 'error':
      return canonicalRecord(schema, type, namespace, defined);
    case 'enum': {
      const name = defineName(schema, namespace, defined);
      if (name.reference) return name.reference;
      return `{"name":${JSON.stringify(name.fullName)},"type":"enum","symbols":${JSON.stringify(stringArray(schema, 'symbols'))}}`;
    }
    case 'fixed': {
      const name = defineName(schema, namespace, defined);
      if (name.reference) return name.reference;
      const size = schema['size'];
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
        throw invalid(`fixed ${name.fullName} needs a non-negative integer size`);
      }
      return `{"name":${JSON.stringify(name.fullName)},"type":"fixed","size":${String(size)}}`;
    }
    case 'array':
      return `{"type":"array","items":${canonical(schema['items'], namespace, defined)}}`;
    case 'map':
      return `{"type":"map","values":${canonical(schema['values'], namespace, defined)}}`;
    default:
      // {"type":"int", "logicalType": ...} is an annotated primitive; {"type":"Foo"} a reference.
      return canonical(type, namespace, defined);
  }
}

function canonicalRecord(schema: JsonObject, type: string, namespace: string, defined: Set<string>): string {
  const name = defineName(schema, namespace, defined);
  if (name.reference) return name.reference;
  const fields = schema['fields'];
  if (!Array.isArray(fields)) throw invalid(`record ${name.fullName} needs a "fields" array`);
  const canonicalFields = fields.map((field: unknown) => {
    if (!isObject(field) || typeof field['name'] !== 'string') {
      throw invalid(`record ${name.fullName} has a field without a name`);
    }
    return `{"name":${JSON.stringify(field['name'])},"type":${canonical(field['type'], name.namespace, defined)}}`;
  });
  return `{"name":${JSON.stringify(name.fullName)},"type":${JSON.stringify(type)},"fields":[${canonicalFields.join(',')}]}`;
}

interface DefinedName {
  readonly fullName: string;
  /** Namespace the definition's children inherit. */
  readonly namespace: string;
  /** Set when the name was defined before: later occurrences are written as a bare full name. */
  readonly reference: string | undefined;
}

function defineName(schema: JsonObject, enclosingNamespace: string, defined: Set<string>): DefinedName {
  const name = schema['name'];
  if (typeof name !== 'string' || name === '') throw invalid(`a named schema needs a "name", got ${JSON.stringify(name)}`);
  const ownNamespace = schema['namespace'];
  let fullName: string;
  if (name.includes('.')) {
    fullName = name;
  } else {
    const namespace = typeof ownNamespace === 'string' ? ownNamespace : enclosingNamespace;
    fullName = namespace === '' ? name : `${namespace}.${name}`;
  }
  const lastDot = fullName.lastIndexOf('.');
  const namespace = lastDot < 0 ? '' : fullName.slice(0, lastDot);
  if (defined.has(fullName)) return { fullName, namespace, reference: JSON.stringify(fullName) };
  defined.add(fullName);
  return { fullName, namespace, reference: undefined };
}

function resolveReference(name: string, namespace: string, defined: ReadonlySet<string>): string {
  if (name.includes('.')) {
    if (defined.has(name)) return name;
  } else {
    const qualified = namespace === '' ? name : `${namespace}.${name}`;
    if (defined.has(qualified)) return qualified;
    // As the reference implementation does: an unqualified name may also denote a type in the null namespace.
    if (defined.has(name)) return name;
  }
  throw invalid(`reference to undefined type ${JSON.stringify(name)}`);
}

function stringArray(schema: JsonObject, key: string): string[] {
  const value = schema[key];
  if (!Array.isArray(value) || !value.every((entry): entry is string => typeof entry === 'string')) {
    throw invalid(`"${key}" must be an array of strings`);
  }
  return value;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): AppError {
  return new AppError(ErrorCode.SchemaInvalid, `invalid Avro schema: ${message}`);
}
