import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

export interface HttpAnswer {
  status: number;
  body: unknown;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const DOCUMENT_ID = 'openapi.json';

/**
 * OpenAPI 3.0 schemas as JSON Schema: `nullable: true` becomes "or null"
 * (Ajv's own `nullable` needs a `type` beside it, which `$ref`, `allOf` and
 * `oneOf` schemas lack).
 */
function toJsonSchema(value: Json): Json {
  if (Array.isArray(value)) return value.map(toJsonSchema);
  if (value === null || typeof value !== 'object') return value;
  const converted: Schema = {};
  for (const [key, inner] of Object.entries(value)) {
    // Under `properties`, keys are field names, never keywords.
    converted[key] = key === 'properties' ? Object.fromEntries(Object.entries(inner as Schema).map(([name, schema]) => [name, toJsonSchema(schema)])) : toJsonSchema(inner);
  }
  if (converted.nullable !== true) return converted;
  delete converted.nullable;
  return { anyOf: [converted, { type: 'null' }] };
}

/** Points the response schema's `#/components/...` references at the document. */
function anchored(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(anchored);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(Object.entries(schema).map(([key, inner]) => [key, key === '$ref' && typeof inner === 'string' ? `${DOCUMENT_ID}${inner}` : anchored(inner)]));
}

/**
 * Checks real answers against the response schemas an app's OpenAPI document
 * declares, operation by operation, and remembers which operations were checked.
 */
export class OpenApiResponses {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly validators = new Map<string, ValidateFunction>();
  readonly checked = new Set<string>();

  constructor(private readonly document: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>>; components: { schemas: Schema } }) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: toJsonSchema(document.components.schemas) } } as Schema);
  }

  /** Every operation of the document, as `METHOD /path/{param}`. */
  operations(): string[] {
    return Object.entries(this.document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => METHODS.includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
  }

  /**
   * Fails unless the operation documents the answer's status and the body
   * matches that status's JSON schema (or the status has no body, and the answer none).
   */
  check(operation: string, answer: HttpAnswer): void {
    const [method, path] = operation.split(' ');
    const responses = this.document.paths[path]?.[method.toLowerCase()]?.responses;
    if (!responses) throw new Error(`${operation} is not in the OpenAPI document`);
    const response = responses[String(answer.status)];
    if (!response) throw new Error(`${operation} answered ${answer.status}, which it does not document (it documents ${Object.keys(responses).join(', ')}): ${JSON.stringify(answer.body)}`);
    const schema = response.content?.['application/json']?.schema;
    if (schema === undefined) {
      const empty = answer.body === undefined || answer.body === '' || (typeof answer.body === 'object' && answer.body !== null && Object.keys(answer.body).length === 0);
      if (!empty) throw new Error(`${operation} ${answer.status} documents no body, but answered ${JSON.stringify(answer.body)}`);
    } else {
      const validate = this.validator(`${operation} ${answer.status}`, schema);
      if (!validate(answer.body)) {
        const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`);
        throw new Error(`${operation} ${answer.status}: the answer does not match its documented schema:\n  ${problems.join('\n  ')}\nanswer: ${JSON.stringify(answer.body).slice(0, 2000)}`);
      }
    }
    this.checked.add(operation);
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(anchored(toJsonSchema(schema)) as Schema);
      this.validators.set(key, validate);
    }
    return validate;
  }
}
