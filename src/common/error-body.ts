import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ResponseSchema } from './response-schema';

/** One bad input: the field (query parameter, body path or header) and what is wrong with it. */
@ResponseSchema()
export class FieldProblem {
  @ApiProperty({ example: 'limit' })
  field: string;

  @ApiProperty({ type: [String], example: ['limit must not be greater than 500'] })
  problems: string[];
}

/** The one body of every 4xx and 5xx answer. */
@ResponseSchema()
@ApiExtraModels(FieldProblem)
export class ErrorBody {
  @ApiProperty({ type: 'integer', example: 404 })
  statusCode: number;

  @ApiProperty({ description: 'The status text', example: 'Not Found' })
  error: string;

  @ApiProperty({ example: 'secret 0b6f... not found' })
  message: string;

  @ApiPropertyOptional({
    description: 'A 400 lists each bad field; other answers name their case in an object (e.g. `{ reason }` of a refused webhook, `{ code, oldest_revision }` of a 410)',
    anyOf: [{ type: 'array', items: { $ref: getSchemaPath(FieldProblem) } }, { type: 'object', additionalProperties: true }],
  })
  details?: FieldProblem[] | Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The X-Request-Id of the request: quote it when reporting a problem' })
  request_id?: string;
}

const MEANING: Record<number, string> = {
  400: 'Bad input: the message and `details` name each bad field',
  401: 'No token, or not a valid one',
  403: 'The token lacks the role this needs',
  404: 'Not found',
  409: 'Conflicts with the current state (the message says which)',
  410: 'Gone',
  413: 'The body is too large',
  429: 'Too many failed sign-ins from this address: retry after the Retry-After header',
};

/** The error answers a route can give, each in the common error body; `descriptions` says more than the default meaning. */
export const ApiErrors = (statuses: number[], descriptions: Record<number, string> = {}) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, type: ErrorBody, description: descriptions[status] ?? MEANING[status] })));
