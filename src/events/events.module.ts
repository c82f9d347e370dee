import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { InventoryModule } from '../inventory/inventory.module';
import { ProvidersModule } from '../providers/providers.module';
import { SecretsModule } from '../secrets/secrets.module';
import { EventApplier } from './event-applier';
import { EventWorker } from './event-worker';
import { EventsController } from './events.controller';
import { EventInbox } from './inbox/event-inbox';
import { InboxRetention } from './inbox/inbox-retention';
import { CloudEventsAuthentication } from './webhooks/cloudevents/cloudevents-authentication';
import { CloudEventsController } from './webhooks/cloudevents/cloudevents.controller';
import { EventIntake } from './webhooks/event-intake';
import { SmnCertificates } from './webhooks/huawei-smn/smn-certificates';
import { SmnController } from './webhooks/huawei-smn/smn.controller';
import { SmnReceiver } from './webhooks/huawei-smn/smn-receiver';
import { WebhookRefusals } from './webhooks/webhook-refusals';
import { WebhookSecrets } from './webhooks/webhook-secrets';

/** Delta sync: vendor notifications verified, stored in the inbox, then applied by the worker. */
@Module({
  imports: [AuthModule, SecretsModule, ProvidersModule, InventoryModule],
  controllers: [EventsController, CloudEventsController, SmnController],
  providers: [EventInbox, InboxRetention, EventApplier, EventWorker, EventIntake, CloudEventsAuthentication, WebhookRefusals, WebhookSecrets, SmnCertificates, SmnReceiver],
})
export class EventsModule {}
