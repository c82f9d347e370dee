import { DynamicModule, Global, Module } from '@nestjs/common';
import { EnvironmentVariables } from './environment';

/** Makes the validated environment injectable by its class. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(environment: EnvironmentVariables): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: EnvironmentVariables, useValue: environment }],
      exports: [EnvironmentVariables],
    };
  }
}
