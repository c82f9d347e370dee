import {
  applyDecorators,
  ArgumentMetadata,
  BadRequestException,
  ParseUUIDPipe,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { IsISO8601, Matches, ValidateIf } from 'class-validator';
import type { IncomingMessage } from 'node:http';

export interface FieldProblem {
  field: string;
  problems: string[];
}

/** Flattens nested validation errors into `field.path: problem` entries. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const result: FieldProblem[] = [];
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) result.push({ field, problems: Object.values(error.constraints) });
    if (error.children?.length) result.push(...fieldProblems(error.children, field));
  }
  return result;
}

/** A 400 about one field, in the same shape the validation pipe gives. */
export function fieldError(field: string, problem: string): BadRequestException {
  return new BadRequestException({ message: problem, details: [{ field, problems: [problem] }] });
}

/** `@Param('id', parseUuid('id'))`: a malformed id is a 400 naming the parameter, not a 500 or a 404. */
export function parseUuid(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => fieldError(field, `${field} must be a UUID`) });
}

/** A UTF-16 code unit of a surrogate pair without its other half: not encodable as UTF-8, so not storable. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why PostgreSQL could not store or compare this text (NUL, lone surrogates), or null. */
export function unstorableTextProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (it holds a lone surrogate)';
  return null;
}

/**
 * The first string (value or object key) in a request part that PostgreSQL
 * could not take, with its path. Walked with a stack: depth is bounded by the
 * body parser, but a walk must not be the thing that overflows.
 */
export function findUnstorableText(value: unknown, root: string): FieldProblem | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      const problem = unstorableTextProblem(current);
      if (problem) return { field: path, problems: [`${path} ${problem}`] };
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        const keyProblem = unstorableTextProblem(key);
        if (keyProblem) return { field: path, problems: [`${path} has a key that ${keyProblem}`] };
        stack.push([child, root && path ? `${path}.${key}` : key]);
      }
    }
  }
  return null;
}

/**
 * Whitelist, forbid unknown fields, transform; a 400 that names every bad field.
 * Before any DTO sees it, every body, query and path parameter is checked for
 * text PostgreSQL cannot hold, so no route can turn it into a 500.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problem = findUnstorableText(value, metadata.data ?? '');
      if (problem) {
        const field = problem.field || metadata.type;
        throw new BadRequestException({ message: problem.problems.join('; '), details: [{ field, problems: problem.problems }] });
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = fieldProblems(errors);
      const message = details.map((detail) => detail.problems.join('; ')).join('; ');
      return new BadRequestException({ message: message || 'Validation failed', details });
    },
  });
}

/**
 * A field that may be left out but, when given, must hold a value: `null` is a
 * 400 naming it (class-validator's IsOptional lets null through, and a NOT NULL
 * column would then answer 500). Fields that take null to clear use IsOptional.
 */
export const OptionalNotNull = () => ValidateIf((_object, value) => value !== undefined);

/** Calendar dates only (ISO week and ordinal dates pass IsISO8601 yet are no JavaScript Date). */
const ISO_CALENDAR_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** An ISO 8601 timestamp that a Date (and PostgreSQL) reads as the same instant. */
export const IsIsoTimestamp = () =>
  applyDecorators(
    IsISO8601({ strict: true }),
    Matches(ISO_CALENDAR_TIME, { message: '$property must be an ISO 8601 date or date-time such as 2026-01-31T12:00:00Z' }),
  );

/** How deep a JSON body may nest: the API's deepest body is 3 levels; a deeper one could overflow the stack in a validator. */
export const MAX_JSON_DEPTH = 32;

/**
 * body-parser's `verify` hook: counts nesting on the raw bytes before
 * JSON.parse, so no deeply nested value ever reaches a recursive walk.
 */
export function rejectDeepJson(_request: IncomingMessage, _response: unknown, body: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === 0x5c) i++; // a backslash escapes the next byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw fieldError('body', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
      }
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
}
