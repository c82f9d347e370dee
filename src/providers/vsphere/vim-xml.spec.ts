import { MalformedSoapError, decodeValue, parseSoapReply } from './vim-xml';

const envelope = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
  `<soapenv:Body>\n${body}\n</soapenv:Body>\n</soapenv:Envelope>`;

describe('parseSoapReply', () => {
  it('names a fault by the xsi:type of its detail', () => {
    const reply = parseSoapReply(
      envelope(
        '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The session is not authenticated.</faultstring>' +
          '<detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated"><object type="Folder">group-d1</object>' +
          '<privilegeId>System.View</privilegeId></NotAuthenticatedFault></detail></soapenv:Fault>',
      ),
      'RetrievePropertiesEx',
    );
    expect(reply).toEqual({ kind: 'fault', fault: { type: 'NotAuthenticated', message: 'The session is not authenticated.' } });
  });

  it('falls back to the detail element name, then to ServerFault', () => {
    const named = parseSoapReply(
      envelope('<soapenv:Fault><faultstring>no</faultstring><detail><NoPermissionFault xmlns="urn:vim25"/></detail></soapenv:Fault>'),
      'Login',
    );
    expect(named).toMatchObject({ fault: { type: 'NoPermission' } });
    const bare = parseSoapReply(envelope('<soapenv:Fault><faultstring>boom</faultstring></soapenv:Fault>'), 'Login');
    expect(bare).toMatchObject({ fault: { type: 'ServerFault', message: 'boom' } });
  });

  it('reads an answer without returnval as an empty result', () => {
    const reply = parseSoapReply(envelope('<RetrievePropertiesExResponse xmlns="urn:vim25"></RetrievePropertiesExResponse>'), 'RetrievePropertiesEx');
    expect(reply).toEqual({ kind: 'result', returnval: undefined });
  });

  it.each([
    ['plain text', 'upstream connect error or disconnect/reset before headers'],
    ['JSON', '{"error":"bad gateway"}'],
    ['HTML', '<html><body>Bad Gateway</body></html>'],
    ['another method', envelope('<LoginResponse xmlns="urn:vim25"><returnval/></LoginResponse>')],
  ])('rejects %s as malformed', (_, body) => {
    expect(() => parseSoapReply(body, 'RetrievePropertiesEx')).toThrow(MalformedSoapError);
  });
});

describe('decodeValue', () => {
  const valueOf = (val: string) => {
    const reply = parseSoapReply(
      envelope(`<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><propSet><name>p</name>${val}</propSet></objects></returnval></RetrievePropertiesExResponse>`),
      'RetrievePropertiesEx',
    );
    if (reply.kind !== 'result') throw new Error('fault');
    const returnval = reply.returnval as { objects: { propSet: { val: Parameters<typeof decodeValue>[0] } } };
    return decodeValue(returnval.objects.propSet.val);
  };

  it('types scalars from xsi:type and keeps strings as sent', () => {
    expect(valueOf('<val xsi:type="xsd:int">4096</val>')).toBe(4096);
    expect(valueOf('<val xsi:type="xsd:boolean">true</val>')).toBe(true);
    expect(valueOf('<val xsi:type="xsd:string">007</val>')).toBe('007');
    expect(valueOf('<val xsi:type="xsd:string"> a &amp; b </val>')).toBe(' a & b ');
    expect(valueOf('<val xsi:type="VirtualMachinePowerState">poweredOn</val>')).toBe('poweredOn');
  });

  it('reads a ManagedObjectReference with its own type, apart from xsi:type', () => {
    expect(valueOf('<val type="HostSystem" xsi:type="ManagedObjectReference">host-12</val>')).toEqual({ type: 'HostSystem', value: 'host-12' });
  });

  it('unwraps ArrayOf values, one element or many or none', () => {
    expect(valueOf('<val xsi:type="ArrayOfString"><string>a</string></val>')).toEqual(['a']);
    expect(valueOf('<val xsi:type="ArrayOfString"><string>a</string><string>b</string></val>')).toEqual(['a', 'b']);
    expect(valueOf('<val xsi:type="ArrayOfGuestNicInfo"></val>')).toEqual([]);
    expect(
      valueOf(
        '<val xsi:type="ArrayOfGuestNicInfo"><GuestNicInfo xsi:type="GuestNicInfo"><ipAddress>10.0.0.1</ipAddress>' +
          '<ipAddress>fe80::1</ipAddress><connected>true</connected></GuestNicInfo></val>',
      ),
    ).toEqual([{ ipAddress: ['10.0.0.1', 'fe80::1'], connected: 'true' }]);
  });
});
