import { parseSoapReply } from './vim-xml';
import { applyObjectUpdate, readUpdateSet, type ObjectUpdate } from './update-set';
import { MalformedSoapError } from './vim-xml';

const answer = (returnval: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
  `<soapenv:Body>\n<WaitForUpdatesExResponse xmlns="urn:vim25">${returnval}</WaitForUpdatesExResponse>\n</soapenv:Body>\n</soapenv:Envelope>`;

function parse(returnval: string) {
  const reply = parseSoapReply(answer(returnval), 'WaitForUpdatesEx');
  if (reply.kind !== 'result') throw new Error('fault');
  return readUpdateSet(reply.returnval);
}

describe('readUpdateSet', () => {
  it('reads enter, modify and leave with their changes, missing paths and the opaque version', () => {
    const set = parse(
      '<returnval><version>1_7:a/b</version>' +
        '<filterSet><filter type="PropertyFilter">session[52a]f1</filter>' +
        '<objectSet><kind>enter</kind><obj type="VirtualMachine">vm-1</obj>' +
        '<changeSet><name>runtime.powerState</name><op>assign</op><val xsi:type="VirtualMachinePowerState">poweredOn</val></changeSet>' +
        '<changeSet><name>summary.config</name><op>assign</op><val xsi:type="VirtualMachineConfigSummary"><name>web-1</name><numCpu>2</numCpu></val></changeSet>' +
        '<missingSet><path>guest.net</path><fault><fault xsi:type="NoPermission"></fault></fault></missingSet>' +
        '</objectSet>' +
        '<objectSet><kind>modify</kind><obj type="VirtualMachine">vm-2</obj>' +
        '<changeSet><name>guest.ipAddress</name><op>assign</op></changeSet>' +
        '<changeSet><name>guest.net</name><op>indirectRemove</op></changeSet>' +
        '</objectSet>' +
        '<objectSet><kind>leave</kind><obj type="VirtualMachine">vm-3</obj></objectSet>' +
        '</filterSet><truncated>true</truncated></returnval>',
    );
    expect(set).toEqual({
      version: '1_7:a/b',
      truncated: true,
      filterSet: [
        {
          filter: { type: 'PropertyFilter', value: 'session[52a]f1' },
          objectSet: [
            {
              kind: 'enter',
              obj: { type: 'VirtualMachine', value: 'vm-1' },
              changeSet: [
                { name: 'runtime.powerState', op: 'assign', val: 'poweredOn' },
                { name: 'summary.config', op: 'assign', val: { name: 'web-1', numCpu: '2' } },
              ],
              missingSet: ['guest.net'],
            },
            {
              kind: 'modify',
              obj: { type: 'VirtualMachine', value: 'vm-2' },
              changeSet: [
                { name: 'guest.ipAddress', op: 'assign' },
                { name: 'guest.net', op: 'indirectRemove' },
              ],
              missingSet: [],
            },
            { kind: 'leave', obj: { type: 'VirtualMachine', value: 'vm-3' }, changeSet: [], missingSet: [] },
          ],
        },
      ],
    });
  });

  it('reads an answer without returnval (the wait ended with nothing new) as null', () => {
    expect(parse('')).toBeNull();
  });

  it('reads an UpdateSet without filterSet (truncated false by default)', () => {
    expect(parse('<returnval><version>9</version></returnval>')).toEqual({ version: '9', truncated: false, filterSet: [] });
  });

  it.each([
    ['no version', '<returnval><truncated>false</truncated></returnval>'],
    ['an unknown kind', '<returnval><version>2</version><filterSet><filter type="PropertyFilter">f</filter><objectSet><kind>moved</kind><obj type="VirtualMachine">vm-1</obj></objectSet></filterSet></returnval>'],
    ['an unknown op', '<returnval><version>2</version><filterSet><filter type="PropertyFilter">f</filter><objectSet><kind>modify</kind><obj type="VirtualMachine">vm-1</obj><changeSet><name>name</name><op>replace</op></changeSet></objectSet></filterSet></returnval>'],
    ['no filter', '<returnval><version>2</version><filterSet><objectSet><kind>leave</kind><obj type="VirtualMachine">vm-1</obj></objectSet></filterSet></returnval>'],
  ])('refuses an UpdateSet with %s', (_, returnval) => {
    expect(() => parse(returnval)).toThrow(MalformedSoapError);
  });
});

describe('applyObjectUpdate', () => {
  const vm = { type: 'VirtualMachine', value: 'vm-1' };
  const held = { 'runtime.powerState': 'poweredOn', 'guest.ipAddress': '10.0.0.5', 'guest.net': ['nic-a'], 'summary.config': { name: 'web-1' } };
  const modify = (changeSet: ObjectUpdate['changeSet'], missingSet: string[] = []): ObjectUpdate => ({ kind: 'modify', obj: vm, changeSet, missingSet });

  it('replaces an assigned path and keeps the others', () => {
    const after = applyObjectUpdate(held, modify([{ name: 'runtime.powerState', op: 'assign', val: 'poweredOff' }]));
    expect(after).toEqual({ ...held, 'runtime.powerState': 'poweredOff' });
    expect(held['runtime.powerState']).toBe('poweredOn');
  });

  it('drops a path assigned no value, removed, indirectly removed or missing', () => {
    const after = applyObjectUpdate(
      held,
      modify(
        [
          { name: 'guest.ipAddress', op: 'assign' },
          { name: 'guest.net', op: 'indirectRemove' },
        ],
        ['summary.config'],
      ),
    );
    expect(after).toEqual({ 'runtime.powerState': 'poweredOn' });
  });

  it('appends an added value to the array held', () => {
    expect(applyObjectUpdate(held, modify([{ name: 'guest.net', op: 'add', val: 'nic-b' }]))['guest.net']).toEqual(['nic-a', 'nic-b']);
  });

  it('starts an enter from nothing', () => {
    const enter: ObjectUpdate = { kind: 'enter', obj: vm, changeSet: [{ name: 'runtime.powerState', op: 'assign', val: 'poweredOff' }], missingSet: [] };
    expect(applyObjectUpdate(held, enter)).toEqual({ 'runtime.powerState': 'poweredOff' });
  });
});
