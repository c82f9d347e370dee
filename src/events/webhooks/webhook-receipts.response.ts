import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiErrors } from '../../common/error-body';
import { ResponseSchema } from '../../common/response-schema';

@ResponseSchema()
export class StoredEventView {
  @ApiProperty({ format: 'uuid', description: 'Its id in the inbox (GET /events/:id)' })
  id: string;

  @ApiProperty({ description: 'A repeat of an event stored before: stored once' })
  duplicate: boolean;
}

/** A CloudEvents delivery, stored: applying it follows. */
@ResponseSchema()
export class CloudEventsReceipt {
  @ApiProperty({ type: [StoredEventView], description: 'One per event of the delivery, in its order' })
  events: StoredEventView[];
}

/** An SMN message handled: a notification stored, or a subscription confirmed, or an unsubscription acknowledged. */
@ResponseSchema()
export class SmnReceipt {
  @ApiPropertyOptional({ format: 'uuid', description: 'A notification, stored under this id' })
  event_id?: string;

  @ApiPropertyOptional({ enum: [true], description: 'A subscription confirmation, confirmed with SMN' })
  confirmed?: true;

  @ApiPropertyOptional({ enum: [true], description: 'An unsubscribe confirmation' })
  acknowledged?: true;
}

/** The refusals of a webhook: nothing was stored (details.reason names the check that failed). */
export const WebhookRefusalResponses = () =>
  ApiErrors([400, 401, 403, 404, 409, 413], {
    400: 'Malformed delivery, or the wrong vendor',
    401: 'Bad or missing signature, stale timestamp, untrusted certificate',
    403: 'Delta sync is off for this secret, or the topic is not listed',
    404: 'No such secret',
    409: 'A replayed delivery',
  });
