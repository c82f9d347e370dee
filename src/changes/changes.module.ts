import { Module } from '@nestjs/common';
import { ChangeSignal } from './change-signal';
import { ChangesService } from './changes.service';

/** The change log (resource_changes and its revision counter): reading it, and the signal that changes were committed. */
@Module({
  providers: [ChangesService, ChangeSignal],
  exports: [ChangesService, ChangeSignal],
})
export class ChangesModule {}
