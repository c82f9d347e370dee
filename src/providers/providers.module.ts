import { Module, OnApplicationShutdown } from '@nestjs/common';
import { EnvironmentVariables } from '../config/environment';
import { ProviderRuntime } from './common/provider-runtime';
import { createProviderRegistry, ProviderRegistry } from './provider-registry';

@Module({
  providers: [
    {
      provide: ProviderRuntime,
      inject: [EnvironmentVariables],
      useFactory: (environment: EnvironmentVariables) =>
        new ProviderRuntime({
          timeoutMs: environment.CMDB_VENDOR_TIMEOUT_MS,
          maxAttempts: environment.CMDB_VENDOR_MAX_ATTEMPTS,
          baseDelayMs: environment.CMDB_VENDOR_RETRY_BASE_MS,
          maxResponseBytes: environment.CMDB_VENDOR_MAX_RESPONSE_BYTES,
        }),
    },
    { provide: ProviderRegistry, inject: [ProviderRuntime], useFactory: createProviderRegistry },
  ],
  exports: [ProviderRegistry],
})
export class ProvidersModule implements OnApplicationShutdown {
  constructor(private readonly registry: ProviderRegistry) {}

  onApplicationShutdown(): void {
    this.registry.dispose();
  }
}
