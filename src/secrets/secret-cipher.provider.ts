import { Logger, Provider } from '@nestjs/common';
import { loadSecretCipher } from '../common/crypto/encryption-keys';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { EnvironmentVariables } from '../config/environment';

/** The cipher, injectable by its class; built once at start-up (a missing key stops start-up). */
export const secretCipherProvider: Provider = {
  provide: SecretCipher,
  inject: [EnvironmentVariables],
  useFactory: (environment: EnvironmentVariables) =>
    loadSecretCipher(environment, (message) => new Logger('Secrets').warn(message)),
};
