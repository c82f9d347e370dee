import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretEntity } from './secret.entity';
import { secretCipherProvider } from './secret-cipher.provider';
import { SecretsController } from './secrets.controller';
import { SecretChanges } from './secret-changes';
import { SecretsService } from './secrets.service';

@Module({
  imports: [TypeOrmModule.forFeature([SecretEntity])],
  controllers: [SecretsController],
  providers: [SecretsService, SecretChanges, secretCipherProvider],
  exports: [SecretsService, SecretChanges],
})
export class SecretsModule {}
