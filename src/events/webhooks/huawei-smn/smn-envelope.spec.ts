import { canonicalSmnString, parseSmnEnvelope, type SmnEnvelope } from './smn-envelope';
import { isSmnUrl } from './smn-endpoint';

const notification: SmnEnvelope = {
  type: 'Notification',
  signature: 'c2ln',
  signature_version: 'v1',
  topic_urn: 'urn:smn:cn-north-4:0a1b2c3d:cmdb',
  message_id: 'a1b2',
  message: '{"x":1}',
  timestamp: '2024-12-14T12:31:59Z',
  signing_cert_url: 'https://smn.cn-north-4.myhuaweicloud.com/smn/cert.pem',
  subject: 'changed',
};

describe('SMN envelope', () => {
  it('signs the notification keys in alphabetical order, subject left out when empty', () => {
    expect(canonicalSmnString(notification)).toBe(
      'message\n{"x":1}\nmessage_id\na1b2\nsubject\nchanged\ntimestamp\n2024-12-14T12:31:59Z\ntopic_urn\nurn:smn:cn-north-4:0a1b2c3d:cmdb\ntype\nNotification\n',
    );
    expect(canonicalSmnString({ ...notification, subject: '' })).not.toContain('subject');
  });

  it('signs subscribe_url instead of subject in a confirmation', () => {
    const confirmation = { ...notification, type: 'SubscriptionConfirmation' as const, subscribe_url: 'https://smn/x', subject: undefined };
    expect(canonicalSmnString(confirmation)).toContain('subscribe_url\nhttps://smn/x\ntimestamp');
  });

  it('names what is missing or malformed', () => {
    expect(parseSmnEnvelope(Buffer.from('nope'))).toBe('the body is not JSON');
    expect(parseSmnEnvelope(Buffer.from(JSON.stringify({ ...notification, message_id: undefined })))).toBe('message_id is required (a string)');
    expect(parseSmnEnvelope(Buffer.from(JSON.stringify({ ...notification, topic_urn: 'urn:x' })))).toMatch(/^topic_urn/);
    expect(parseSmnEnvelope(Buffer.from(JSON.stringify(notification)))).toEqual(notification);
  });

  it('accepts a certificate or subscribe URL only at the SMN origin of the topic region', () => {
    const template = 'https://smn.{region}.myhuaweicloud.com';
    expect(isSmnUrl('https://smn.cn-north-4.myhuaweicloud.com/cert.pem', template, 'cn-north-4')).toBe(true);
    expect(isSmnUrl('https://smn.cn-north-1.myhuaweicloud.com/cert.pem', template, 'cn-north-4')).toBe(false);
    expect(isSmnUrl('http://smn.cn-north-4.myhuaweicloud.com/cert.pem', template, 'cn-north-4')).toBe(false);
    expect(isSmnUrl('https://smn.cn-north-4.myhuaweicloud.com.evil.example/cert.pem', template, 'cn-north-4')).toBe(false);
    expect(isSmnUrl('https://user:pw@smn.cn-north-4.myhuaweicloud.com/cert.pem', template, 'cn-north-4')).toBe(false);
  });
});
