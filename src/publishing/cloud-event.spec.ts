import { structuredPayload } from './cloud-event';
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
});
