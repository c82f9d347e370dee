import { payloadWithin, structuredPayload } from './cloud-event';
import { mqttChangeTopic, mqttStateTopic } from './mqtt/mqtt-topics';
import { natsChangeSubject } from './nats/nats-subjects';
import type { PublishableChange } from './publishable-change';

const change: PublishableChange = {
  revision: '4294967297', // past 2^32: revisions are not CloudEvents integers
  time: new Date('2026-12-02T10:00:00.000Z'),
  kind: 'rds',
  vendor: 'vsphere',
  instanceId: 'vm/42+#',
  region: 'dc.1 west',
  changeType: 'updated',
  object: { id: 'abc', name: 'db-1' },
  changedFields: { name: { old: 'db', new: 'db-1' } },
  origin: { trigger: 'event', jobId: null, eventId: 'e-1' },
};

describe('a change as a CloudEvent', () => {
  it('is a structured-mode CloudEvents 1.0 event with the revision as id and extension', () => {
    expect(JSON.parse(structuredPayload(change, 'https://cmdb.example.com'))).toEqual({
      specversion: '1.0',
      id: '4294967297',
      revision: '4294967297',
      type: 'cmdb.rds.updated',
      source: 'https://cmdb.example.com',
      subject: 'vsphere/vm/42+#',
      time: '2026-12-02T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { object: { id: 'abc', name: 'db-1' }, changed_fields: { name: { old: 'db', new: 'db-1' } }, origin: { trigger: 'event', job_id: null, event_id: 'e-1' } },
    });
  });

  it('goes to topics and subjects whose levels a region or instance id cannot split or turn into wildcards', () => {
    expect(mqttChangeTopic('cmdb', change)).toBe('cmdb/rds/vsphere/dc_1_west/updated');
    expect(mqttStateTopic('cmdb', change)).toBe('cmdb/state/rds/vsphere/vm_42__');
    expect(natsChangeSubject('cmdb', change)).toBe('cmdb.rds.vsphere.dc_1_west.updated');
    expect(natsChangeSubject('cmdb', { ...change, region: null })).toBe('cmdb.rds.vsphere._.updated');
  });

  it('goes to topics without control characters or non-characters (Mosquitto drops the connection of a client that publishes to one)', () => {
    expect(mqttStateTopic('cmdb', { ...change, instanceId: 'i-1\u0001\u007f\u0085\uffff\ufdd0\u{10ffff}' })).toBe('cmdb/state/rds/vsphere/i-1______');
  });

  it('leaves out the object and changed fields, and says so, when the event is over what the broker takes', () => {
    const full = structuredPayload(change, '/cmdb');
    expect(payloadWithin(change, '/cmdb', Buffer.byteLength(full))).toBe(full);
    const reduced = JSON.parse(payloadWithin(change, '/cmdb', Buffer.byteLength(full) - 1));
    expect(reduced).toMatchObject({ id: '4294967297', type: 'cmdb.rds.updated', subject: 'vsphere/vm/42+#', dataomitted: 'too_large' });
    expect(reduced.data).toEqual({ object: null, changed_fields: null, origin: { trigger: 'event', job_id: null, event_id: 'e-1' } });
  });
});
