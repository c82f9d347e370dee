import * as https from 'node:https';
import { generateHosts, uuidFor } from '../common/generator';
import { VsphereSimulator } from './vsphere-simulator';

/**
 * The simulator's wire answers, read raw: they must look like a vCenter's
 * (xsi:type on values, ArrayOf wrappers, typed MoRefs, faults with typed
 * details and HTTP 500), or the client is tested against a fiction.
 */

let sim: VsphereSimulator;
const hosts = generateHosts('vsphere', 5, { seed: 3, regions: ['DC-North'] }).map((host) => ({ ...host, rawStatus: 'poweredOn' }));

interface RawReply {
  status: number;
  body: string;
  cookie: string | null;
}

function post(body: string, cookie: string | null = null, soapAction = 'urn:vim25/8.0.2.0'): Promise<RawReply> {
  const [host, port] = sim.address.split(':');
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host,
        port: Number(port),
        method: 'POST',
        path: '/sdk',
        ca: sim.caPem,
        agent: false,
        headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: soapAction, ...(cookie ? { Cookie: cookie } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookie: response.headers['set-cookie']?.[0]?.split(';')[0] ?? null,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const call = (method: string, inner: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<soapenv:Body><${method} xmlns="urn:vim25">${inner}</${method}></soapenv:Body></soapenv:Envelope>`;

const login = (password: string) =>
  post(call('Login', `<_this type="SessionManager">SessionManager</_this><userName>admin</userName><password>${password}</password>`));

async function viewOf(cookie: string, container: string, type: string): Promise<string> {
  const reply = await post(
    call('CreateContainerView', `<_this type="ViewManager">ViewManager</_this><container type="Folder">${container}</container><type>${type}</type><recursive>true</recursive>`),
    cookie,
  );
  return /<returnval type="ContainerView">([^<]+)<\/returnval>/.exec(reply.body)![1];
}

const retrieve = (view: string, type: string, paths: string[], maxObjects: number) =>
  call(
    'RetrievePropertiesEx',
    '<_this type="PropertyCollector">propertyCollector</_this><specSet>' +
      `<propSet><type>${type}</type>${paths.map((path) => `<pathSet>${path}</pathSet>`).join('')}</propSet>` +
      `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec">` +
      '<name>v</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet>' +
      `<options><maxObjects>${maxObjects}</maxObjects></options>`,
  );

beforeAll(async () => {
  sim = await VsphereSimulator.start();
  sim.addAccount('admin', 'pw');
  sim.load('admin', hosts);
});

afterAll(() => sim.stop());

describe('VsphereSimulator wire format', () => {
  it('answers a wrong password with HTTP 500 and a typed InvalidLogin fault', async () => {
    const reply = await login('wrong');
    expect(reply.status).toBe(500);
    expect(reply.body).toContain('<faultcode>ServerFaultCode</faultcode>');
    expect(reply.body).toMatch(/<InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin">/);
    expect(reply.cookie).toBeNull();
  });

  it('sets the vmware_soap_session cookie on login, and refuses calls without it', async () => {
    const reply = await login('pw');
    expect(reply.status).toBe(200);
    expect(reply.cookie).toMatch(/^vmware_soap_session="[^"]+"$/);
    const anonymous = await post(call('CreateContainerView', '<_this type="ViewManager">ViewManager</_this><container type="Folder">group-d1</container><type>VirtualMachine</type><recursive>true</recursive>'));
    expect(anonymous.status).toBe(500);
    expect(anonymous.body).toContain('xsi:type="NotAuthenticated"');
  });

  it('serves VM properties with vim25 typing, and pages with a token', async () => {
    const { cookie } = await login('pw');
    const view = await viewOf(cookie!, 'group-d1', 'VirtualMachine');
    const paths = ['summary.config', 'runtime.powerState', 'guest.net', 'summary.runtime.host', 'config.createDate', 'name'];
    const first = await post(retrieve(view, 'VirtualMachine', paths, 2), cookie);
    expect(first.status).toBe(200);
    expect(first.body).toMatch(/<token>[^<]+<\/token>/);
    expect(first.body.match(/<objects>/g)).toHaveLength(2);
    expect(first.body).toContain(`<obj type="VirtualMachine">${hosts[0].id}</obj>`);
    expect(first.body).toContain('<val xsi:type="VirtualMachineConfigSummary">');
    expect(first.body).toContain(`<instanceUuid>${uuidFor(hosts[0].id)}</instanceUuid>`);
    expect(first.body).toContain('<val xsi:type="VirtualMachinePowerState">poweredOn</val>');
    expect(first.body).toContain('<val xsi:type="ArrayOfGuestNicInfo"><GuestNicInfo xsi:type="GuestNicInfo">');
    expect(first.body).toMatch(/<val type="HostSystem" xsi:type="ManagedObjectReference">host-\d+<\/val>/);
    expect(first.body).toContain(`<val xsi:type="xsd:dateTime">${hosts[0].createdAt}</val>`);

    const token = /<token>([^<]+)<\/token>/.exec(first.body)![1];
    const continueCall = call('ContinueRetrievePropertiesEx', `<_this type="PropertyCollector">propertyCollector</_this><token>${token}</token>`);
    const second = await post(continueCall, cookie);
    expect(second.body.match(/<objects>/g)).toHaveLength(2);
    expect(second.body).toContain(`<obj type="VirtualMachine">${hosts[2].id}</obj>`);
    expect(second.body).toMatch(/<token>/);
  });

  it('lists the datacenters through a Datacenter view of the root folder', async () => {
    const { cookie } = await login('pw');
    const view = await viewOf(cookie!, 'group-d1', 'Datacenter');
    const reply = await post(retrieve(view, 'Datacenter', ['name'], 100), cookie);
    expect(reply.body).toMatch(/<obj type="Datacenter">datacenter-\d+<\/obj><propSet><name>name<\/name><val xsi:type="xsd:string">DC-North<\/val><\/propSet>/);
    expect(reply.body).not.toContain('<token>');
  });

  it('serves the change feed: CreateFilter, WaitForUpdatesEx (enter, then modify and leave, then an empty wait) and DestroyPropertyFilter', async () => {
    const { cookie } = await login('pw');
    const view = await viewOf(cookie!, 'group-d1', 'VirtualMachine');
    const created = await post(
      call(
        'CreateFilter',
        '<_this type="PropertyCollector">propertyCollector</_this><spec>' +
          '<propSet><type>VirtualMachine</type><all>false</all><pathSet>runtime.powerState</pathSet><pathSet>summary.config</pathSet></propSet>' +
          `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip><selectSet xsi:type="TraversalSpec">` +
          '<name>v</name><type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet>' +
          '</spec><partialUpdates>false</partialUpdates>',
      ),
      cookie,
    );
    const filter = /<returnval type="PropertyFilter">([^<]+)<\/returnval>/.exec(created.body)![1];
    const wait = (version: string, maxObjectUpdates = 100) =>
      post(
        call(
          'WaitForUpdatesEx',
          `<_this type="PropertyCollector">propertyCollector</_this><version>${version}</version>` +
            `<options><maxWaitSeconds>1</maxWaitSeconds><maxObjectUpdates>${maxObjectUpdates}</maxObjectUpdates></options>`,
        ),
        cookie,
      );
    const versionOf = (body: string) => /<version>([^<]+)<\/version>/.exec(body)![1];

    const first = await wait('', 3);
    expect(first.body).toContain(`<filterSet><filter type="PropertyFilter">${filter}</filter><objectSet><kind>enter</kind><obj type="VirtualMachine">${hosts[0].id}</obj>`);
    expect(first.body).toContain('<changeSet><name>runtime.powerState</name><op>assign</op><val xsi:type="VirtualMachinePowerState">poweredOn</val></changeSet>');
    expect(first.body.match(/<kind>enter<\/kind>/g)).toHaveLength(3);
    expect(first.body).toContain('<truncated>true</truncated>');
    const rest = await wait(versionOf(first.body));
    expect(rest.body.match(/<kind>enter<\/kind>/g)).toHaveLength(hosts.length - 3);
    expect(rest.body).toContain('<truncated>false</truncated>');

    sim.powerOff('admin', hosts[1].id);
    sim.removeVm('admin', hosts[2].id);
    const changes = await wait(versionOf(rest.body));
    expect(changes.body).toContain(
      `<objectSet><kind>modify</kind><obj type="VirtualMachine">${hosts[1].id}</obj>` +
        '<changeSet><name>runtime.powerState</name><op>assign</op><val xsi:type="VirtualMachinePowerState">poweredOff</val></changeSet></objectSet>',
    );
    expect(changes.body).toContain(`<objectSet><kind>leave</kind><obj type="VirtualMachine">${hosts[2].id}</obj></objectSet>`);

    const quiet = await wait(versionOf(changes.body));
    expect(quiet.body).toMatch(/<WaitForUpdatesExResponse xmlns="urn:vim25"><\/WaitForUpdatesExResponse>/);
    const stale = await wait(versionOf(rest.body));
    expect(stale.status).toBe(500);
    expect(stale.body).toContain('xsi:type="InvalidCollectorVersion"');

    const destroyed = await post(call('DestroyPropertyFilter', `<_this type="PropertyFilter">${filter}</_this>`), cookie);
    expect(destroyed.status).toBe(200);
    sim.load('admin', [hosts[2]]);
    sim.powerOn('admin', hosts[1].id);
  });

  it('refuses a SOAPAction version it does not know', async () => {
    const reply = await post(call('RetrieveServiceContent', '<_this type="ServiceInstance">ServiceInstance</_this>'), null, 'urn:vim25/99.0');
    expect(reply.status).toBe(500);
    expect(reply.body).toContain('Unsupported version URI');
  });

  it('publishes its versions at /sdk/vimServiceVersions.xml', async () => {
    const [host, port] = sim.address.split(':');
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get({ host, port: Number(port), path: '/sdk/vimServiceVersions.xml', ca: sim.caPem, agent: false }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(body).toContain('<name>urn:vim25</name>');
    expect(body).toContain('<version>6.5</version>');
  });
});
