import { MetricsService } from '../../metrics/metrics.service';
import type { FeedAnswer } from '../../providers/provider';
import { ProviderError } from '../../providers/provider-error';
import type { ProviderRegistry } from '../../providers/provider-registry';
import type { SecretEntity, WatchStatus } from '../../secrets/secret.entity';
import type { SecretsService } from '../../secrets/secrets.service';
import type { FeedApplier } from './feed-applier';
import { SecretWatch } from './secret-watch';
import { WatchStatusBook } from './watch-status-book';

describe('SecretWatch', () => {
  it('says reconnecting, not failed, while it starts over after a feed that was following broke (a dropped session is no fault of the secret)', async () => {
    const saved: WatchStatus[] = [];
    const secrets = {
      recordWatchStatus: async (_id: string, status: WatchStatus) => void saved.push({ ...status }),
      credentialsOf: () => ({}),
    } as unknown as SecretsService;
    const book = new WatchStatusBook('secret-1', secrets, new MetricsService());
    const listing: FeedAnswer = { complete: true, observedAt: new Date(), items: [], rejected: [], gone: [] };
    let feeds = 0;
    const provider = {
      // The first feed lists, then its session is gone (vCenter's fault: NotAuthenticated, not retryable); the next one lists and waits.
      async *watch(_credentials: unknown, _type: unknown, signal: AbortSignal) {
        feeds++;
        yield listing;
        if (feeds === 1) throw new ProviderError({ vendor: 'vsphere', code: 'NotAuthenticated', message: 'The session is not authenticated.', retryable: false });
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
    };
    const applier = { applyListing: async () => [], applyChanges: async () => [] } as unknown as FeedApplier;
    const watch = new SecretWatch({ id: 'secret-1', vendor: 'vsphere' } as SecretEntity, book, {
      providers: { get: () => provider } as unknown as ProviderRegistry,
      secrets,
      applier,
    });
    watch.start();
    for (let waited = 0; feeds < 2 || book.current.state !== 'following'; waited += 10) {
      if (waited > 5_000) throw new Error('the watch did not start over');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await watch.stop();
    const states = saved.map((status) => status.state);
    expect(states).toEqual(['starting', 'following', 'reconnecting', 'following', 'stopped']);
    expect(saved[2].error).toEqual({ code: 'NotAuthenticated', message: 'The session is not authenticated.' });
  });
});
