import { Module } from '@nestjs/common';
import { ChangeLogHolds } from './change-log-holds';
import { ChangeRetention } from './change-retention';
import { ChangeSignal } from './change-signal';
import { ChangesController } from './changes.controller';
import { ChangesService } from './changes.service';

/** The change log (resource_changes and its revision counter): reading it, the signal that changes were committed, and its retention (held back for readers that register). */
@Module({
  controllers: [ChangesController],
  providers: [ChangesService, ChangeSignal, ChangeRetention, ChangeLogHolds],
  exports: [ChangesService, ChangeSignal, ChangeRetention, ChangeLogHolds],
})
export class ChangesModule {}
