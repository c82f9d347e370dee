import { Module } from '@nestjs/common';
import { PublishingModule } from '../publishing/publishing.module';
import { HealthController } from './health.controller';

@Module({ imports: [PublishingModule], controllers: [HealthController] })
export class HealthModule {}
