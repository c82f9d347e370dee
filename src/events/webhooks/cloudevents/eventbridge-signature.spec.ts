import { generateKeyPairSync, sign } from 'node:crypto';
import { createTestPki } from '../../../../test/simulators/vsphere/certificates';
import { pemCertificates } from '../signing-certificates';
import { checkEventBridgeSignature, eventBridgeCertificateRegion, eventBridgeStringToSign } from './eventbridge-signature';

describe('EventBridge signature', () => {
  const url = 'https://cmdb.example/webhooks/cloudevents/7c0a';
  const body = Buffer.from('{"id":"1"}');
  const now = Math.floor(Date.now() / 1000) * 1000; // whole seconds: also sent as a 10-digit time
  const headers = (extra: Record<string, string> = {}) => ({
    'x-eventbridge-signature-timestamp': String(now),
    'x-eventbridge-hash-method': 'SHA256',
    'x-eventbridge-signature-version': '1.0',
    'x-eventbridge-signature-url': 'https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_1.pem',
    ...extra,
  });

  it('signs the URL, the fixed headers in their documented order (token last, when sent) and the body', () => {
    const signed = eventBridgeStringToSign(url, headers({ 'x-eventbridge-signature-token': 'tok' }), body).toString();
    expect(signed).toBe(
      `${url}\nx-eventbridge-signature-timestamp: ${now}\nx-eventbridge-hash-method: SHA256\nx-eventbridge-signature-version: 1.0\n` +
        'x-eventbridge-signature-url: https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x509_public_certificate_1.pem\n' +
        'x-eventbridge-signature-token: tok\n{"id":"1"}',
    );
    expect(eventBridgeStringToSign(url, headers(), body).toString()).not.toContain('token');
  });

  it('accepts the configured certificate\'s signature with or without a newline after the body, a time in seconds too; refuses another key', () => {
    const pki = createTestPki();
    const trusted = pemCertificates(pki.serverCertPem);
    const check = (signed: Record<string, string>, signature: Buffer) =>
      checkEventBridgeSignature({ trusted, allowRegions: ['cn-hangzhou'], targetUrl: url, headers: { ...signed, 'x-eventbridge-signature-v2': signature.toString('base64') }, body, now });
    for (const newline of [false, true]) {
      expect(check(headers(), sign('sha256', eventBridgeStringToSign(url, headers(), body, newline), pki.serverKeyPem))).toBe('ok');
    }
    const inSeconds = headers({ 'x-eventbridge-signature-timestamp': String(now / 1000) });
    expect(check(inSeconds, sign('sha256', eventBridgeStringToSign(url, inSeconds, body), pki.serverKeyPem))).toBe('ok');
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(check(headers(), sign('sha256', eventBridgeStringToSign(url, headers(), body), stranger))).toBe('bad_signature');
    // Signed for another URL (a delivery replayed to another secret's webhook).
    expect(check(headers(), sign('sha256', eventBridgeStringToSign(`${url}x`, headers(), body), pki.serverKeyPem))).toBe('bad_signature');
    expect(check(headers({ 'x-eventbridge-hash-method': 'SHA1' }), Buffer.from('x'))).toBe('unsupported_hash');
    expect(check(headers({ 'x-eventbridge-signature-timestamp': String(now - 60_001) }), Buffer.from('x'))).toBe('stale_timestamp');
  });

  it('reads the region of a certificate URL only on the documented https host, with no port or credentials', () => {
    expect(eventBridgeCertificateRegion('https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x.pem')).toBe('cn-hangzhou');
    expect(eventBridgeCertificateRegion('http://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x.pem')).toBeNull();
    expect(eventBridgeCertificateRegion('https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com:8443/x.pem')).toBeNull();
    expect(eventBridgeCertificateRegion('https://u:p@cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com/x.pem')).toBeNull();
    expect(eventBridgeCertificateRegion('https://cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com.evil.example/x.pem')).toBeNull();
    expect(eventBridgeCertificateRegion('https://evil.example/cn-hangzhou-eventbridge.oss-accelerate.aliyuncs.com')).toBeNull();
    expect(eventBridgeCertificateRegion('not a url')).toBeNull();
  });
});
