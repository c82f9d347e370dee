import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { ChangeLogFeed, ChangeLogFeedProvider } from './change-log-feed';
import { PublisherLeases } from './publisher-leases';
import { PublishingService } from './publishing.service';

/** Publishes the change log to MQTT and NATS JetStream when their URLs are set; owns publish_cursors. */
@Module({
  imports: [ChangesModule],
  providers: [ChangeLogFeed, ChangeLogFeedProvider, PublisherLeases, PublishingService],
  exports: [PublishingService],
})
export class PublishingModule {}
