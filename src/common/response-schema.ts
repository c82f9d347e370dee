import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions, ApiSchema, ApiSchemaOptions } from '@nestjs/swagger';

/**
 * Marks a response class: its OpenAPI schema is closed (`additionalProperties:
 * false`), so an answer carrying a field the class does not declare fails the
 * schema conformance test (test/hardening/response-schemas.e2e-spec.ts)
 * instead of reaching clients undocumented. Subclasses need their own.
 */
export const ResponseSchema = (options: ApiSchemaOptions = {}): ClassDecorator =>
  // ApiSchema copies every option but the name onto the schema object; its type only names name and description.
  ApiSchema({ ...options, additionalProperties: false } as ApiSchemaOptions);

/**
 * Declares the properties of a class made at run time (no TypeScript fields to
 * decorate), in order.
 */
export function declareProperties(target: Type<object>, properties: [name: string, options: ApiPropertyOptions][]): void {
  for (const [name, options] of properties) ApiProperty(options)(target.prototype as object, name);
}

/**
 * The schema of a keyset page of `item`: `items` and `next_cursor`, plus any
 * route's own fields (`total`, `resource_version`). `name` names it in the
 * document (the console's types use it).
 */
export function PageOf<T>(item: Type<T>, name: string, extra: Record<string, ApiPropertyOptions> = {}): Type<{ items: T[]; next_cursor: string | null }> {
  const Page = class {};
  Object.defineProperty(Page, 'name', { value: name });
  declareProperties(Page, [
    ['items', { type: item, isArray: true }],
    ['next_cursor', { type: String, nullable: true, description: 'Pass back as `cursor` for the next page; null on the last page' }],
    ...Object.entries(extra),
  ]);
  ResponseSchema({ name })(Page);
  return Page as Type<{ items: T[]; next_cursor: string | null }>;
}
