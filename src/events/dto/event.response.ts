import { ApiProperty } from '@nestjs/swagger';
import { PageOf, ResponseSchema } from '../../common/response-schema';
import { RESOURCE_TYPES, VENDORS, type ResourceType, type Vendor } from '../../providers/provider';
import { EVENT_CHANNELS, EVENT_STATUSES, type EventAction, type EventChannel, type EventStatus } from '../inbox/inbox-event';

const EVENT_ACTIONS: EventAction[] = ['upsert', 'delete', 'reread'];

/** A vendor notification received, and what became of it (eventView). */
@ResponseSchema()
export class EventView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  secret_id: string;

  @ApiProperty({ enum: VENDORS })
  vendor: Vendor;

  @ApiProperty({ enum: EVENT_CHANNELS })
  channel: EventChannel;

  @ApiProperty({ description: 'The vendor\'s message id: a repeat is a duplicate' })
  message_id: string;

  @ApiProperty()
  event_type: string;

  @ApiProperty({ enum: RESOURCE_TYPES, nullable: true })
  resource_type: ResourceType | null;

  @ApiProperty({ type: String, nullable: true })
  region: string | null;

  @ApiProperty({ type: String, nullable: true })
  instance_id: string | null;

  @ApiProperty({ enum: EVENT_ACTIONS, nullable: true, description: 'null: an event type not tracked (stored `ignored`)' })
  action: EventAction | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the vendor observed the change' })
  observed_at: string | null;

  @ApiProperty({ format: 'date-time' })
  received_at: string;

  @ApiProperty({ enum: EVENT_STATUSES })
  status: EventStatus;

  @ApiProperty({ type: 'integer' })
  attempts: number;

  @ApiProperty({ type: String, nullable: true })
  reason: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  applied_at: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The vendor\'s notification as received (never a credential)' })
  payload: Record<string, unknown>;
}

export const EventPage = PageOf(EventView, 'EventPage');
