import { Module } from '@nestjs/common';
import { InventoryWriter } from './inventory-writer';

@Module({
  providers: [InventoryWriter],
  exports: [InventoryWriter],
})
export class InventoryModule {}
