import { BadRequestException, ParseUUIDPipe, ValidationError, ValidationPipe } from '@nestjs/common';

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

/** Whitelist, forbid unknown fields, transform; a 400 that names every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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

/** A 400 about one field, in the same shape the validation pipe gives. */
export function fieldError(field: string, problem: string): BadRequestException {
  return new BadRequestException({ message: problem, details: [{ field, problems: [problem] }] });
}

/** `@Param('id', parseUuid('id'))`: a malformed id is a 400 naming the parameter, not a 500 or a 404. */
export function parseUuid(field: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => fieldError(field, `${field} must be a UUID`) });
}
