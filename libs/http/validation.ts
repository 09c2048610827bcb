import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode } from '#libs/common';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** One validation style for the repo: class-validator DTOs, unknown fields refused, 400 validation_failed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const message = fields.map((entry) => entry.problems.join('; ')).join('; ') || 'The request is not valid.';
      return new DomainError(ErrorCode.ValidationFailed, message, { fields });
    },
  });
}
