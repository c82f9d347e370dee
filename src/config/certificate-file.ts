import { readFileSync } from 'node:fs';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * A file this process can read that holds at least one PEM certificate: a CA
 * bundle named by a setting is checked at start-up, not at the first
 * connection that needs it (which would only fail and retry).
 */
export function IsCertificateFile(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCertificateFile',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && holdsCertificate(value),
        defaultMessage: (args) => `${args?.property ?? 'the setting'} must name a readable file of PEM certificates`,
      },
    });
}

function holdsCertificate(path: string): boolean {
  try {
    return readFileSync(path, 'utf8').includes('-----BEGIN CERTIFICATE-----');
  } catch {
    return false;
  }
}
