import { MetricsService } from '../../metrics/metrics.service';
import { ProviderError } from '../../providers/provider-error';
import type { WatchStatus } from '../../secrets/secret.entity';
import type { SecretsService } from '../../secrets/secrets.service';
import { WatchStatusBook } from './watch-status-book';

describe('WatchStatusBook', () => {
  let saved: WatchStatus[];
  let metrics: MetricsService;
  let book: WatchStatusBook;
  const vendorError = (retryable: boolean, code: string) => new ProviderError({ vendor: 'vsphere', code, message: `${code} happened`, retryable });

  beforeEach(() => {
    saved = [];
    metrics = new MetricsService();
    const secrets = { recordWatchStatus: async (_id: string, status: WatchStatus) => void saved.push(status) } as unknown as SecretsService;
    book = new WatchStatusBook('secret-1', secrets, metrics);
  });

  it('says reconnecting after a retryable vendor error and failed after one that needs the secret fixed, with code and message', async () => {
    await book.broken(vendorError(true, 'NotAuthenticated'));
    expect(saved.at(-1)).toMatchObject({ state: 'reconnecting', error: { code: 'NotAuthenticated', message: 'NotAuthenticated happened' } });
    await book.broken(vendorError(false, 'InvalidLogin'));
    expect(saved.at(-1)).toMatchObject({ state: 'failed', error: { code: 'InvalidLogin' } });
    await book.following();
    expect(saved.at(-1)).toMatchObject({ state: 'following', error: null });
    const exported = await metrics.registry.getSingleMetricAsString('cmdb_vsphere_feed_restarts_total');
    expect(exported).toContain('code="InvalidLogin"} 1');
  });

  it('counts created, updated and deleted resources as updates, and an answer of unchanged ones as none', async () => {
    const result = (action: 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed') => ({ instance_id: 'i', name: 'n', action, success: action !== 'failed', message: null });
    await book.applied([result('unchanged'), result('unchanged')]);
    expect(book.current).toMatchObject({ updates_applied: 0, last_update_at: null });
    await book.applied([result('created'), result('updated'), result('deleted'), result('failed'), result('unchanged')]);
    expect(book.current).toMatchObject({ updates_applied: 3, last_update_at: expect.any(String) });
  });

  it("counts on from the status its last follower saved (a takeover or a restart is not a fresh feed), in a new state", async () => {
    const previous: WatchStatus = { state: 'failed', error: { code: 'InvalidLogin', message: 'no' }, last_update_at: '2026-12-03T01:02:03.000Z', updates_applied: 40, since: '2026-12-03T01:00:00.000Z' };
    const taken = new WatchStatusBook('secret-1', { recordWatchStatus: async (_id: string, status: WatchStatus) => void saved.push(status) } as unknown as SecretsService, metrics, previous);
    await taken.starting();
    expect(saved.at(-1)).toMatchObject({ state: 'starting', error: null, updates_applied: 40, last_update_at: previous.last_update_at });
    await taken.applied([{ instance_id: 'i', name: 'n', action: 'updated', success: true, message: null }]);
    expect(taken.current.updates_applied).toBe(41);
    expect(taken.current.last_update_at).not.toBe(previous.last_update_at);
  });

  it('saves nothing more once its process lost the lock (no late stopped over the new follower\'s state), and drops its state metric', async () => {
    await book.following();
    const before = saved.length;
    book.abandon();
    await book.broken(vendorError(true, 'NotAuthenticated'));
    await book.stopped();
    expect(saved).toHaveLength(before);
    expect(await metrics.registry.getSingleMetricAsString('cmdb_vsphere_feed_state')).not.toContain('secret_id="secret-1"');
  });

  it('ignores what the feed reports after it was stopped', async () => {
    await book.following();
    await book.stopped();
    await book.broken(vendorError(true, 'NotAuthenticated'));
    expect(book.current.state).toBe('stopped');
    expect(saved.at(-1)!.state).toBe('stopped');
  });
});
