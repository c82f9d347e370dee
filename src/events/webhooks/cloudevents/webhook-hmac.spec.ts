import { createHmac } from 'node:crypto';
import { checkWebhookSignature, webhookSignature } from './webhook-hmac';

describe('webhook HMAC', () => {
  const body = Buffer.from('{"id":"1"}');
  const now = 1_700_000_000_000;
  const timestamp = String(now / 1000);
  const headers = (signature: string, at = timestamp) => ({ 'x-cmdb-signature': signature, 'x-cmdb-timestamp': at });

  it('is v1= hex HMAC-SHA256 of "<timestamp>.<body>", as the README documents', () => {
    expect(webhookSignature('whsec_k', '1700000000', body)).toBe(
      `v1=${createHmac('sha256', 'whsec_k').update('1700000000.{"id":"1"}').digest('hex')}`,
    );
  });

  it('accepts the right one (among several), refuses another key, another body, an old time or none', () => {
    const good = webhookSignature('whsec_k', timestamp, body);
    expect(checkWebhookSignature('whsec_k', headers(good), body, now)).toBe('ok');
    expect(checkWebhookSignature('whsec_k', headers(`v1=00, ${good}`), body, now)).toBe('ok');
    expect(checkWebhookSignature('whsec_other', headers(good), body, now)).toBe('bad_signature');
    expect(checkWebhookSignature('whsec_k', headers(good), Buffer.from('{"id":"2"}'), now)).toBe('bad_signature');
    expect(checkWebhookSignature('whsec_k', headers(good), body, now + 301_000)).toBe('stale_timestamp');
    expect(checkWebhookSignature('whsec_k', {}, body, now)).toBe('missing');
  });
});
