import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { SecretEntity } from './secret.entity';

/**
 * Tells listeners in this process (the sync scheduler) that a secret was
 * created or changed (with its new state) or deleted (null), before the
 * request answers.
 */
@Injectable()
export class SecretChanges {
  private readonly emitter = new EventEmitter();

  notify(secretId: string, secret: SecretEntity | null): void {
    this.emitter.emit('changed', secretId, secret);
  }

  subscribe(listener: (secretId: string, secret: SecretEntity | null) => void): () => void {
    this.emitter.on('changed', listener);
    return () => this.emitter.off('changed', listener);
  }
}
