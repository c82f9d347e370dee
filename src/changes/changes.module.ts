import { Module } from '@nestjs/common';
import { ChangeRetention } from './change-retention';
import { ChangeSignal } from './change-signal';
import { ChangesController } from './changes.controller';
import { ChangesService } from './changes.service';

/** The change log (resource_changes and its revision counter): reading it, the signal that changes were committed, and its retention. */
@Module({
  controllers: [ChangesController],
  providers: [ChangesService, ChangeSignal, ChangeRetention],
  exports: [ChangesService, ChangeSignal, ChangeRetention],
})
export class ChangesModule {}
