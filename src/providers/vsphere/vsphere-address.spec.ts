import { parseVsphereAddress } from './vsphere-address';

describe('parseVsphereAddress', () => {
  it.each([
    ['vcenter.corp.example', { host: 'vcenter.corp.example', port: 443 }],
    ['vcenter.corp.example:8443', { host: 'vcenter.corp.example', port: 8443 }],
    ['10.1.2.3', { host: '10.1.2.3', port: 443 }],
    [' https://10.1.2.3:9443/sdk ', { host: '10.1.2.3', port: 9443 }],
    ['[fd00::5]', { host: 'fd00::5', port: 443 }],
    ['[fd00::5]:8443', { host: 'fd00::5', port: 8443 }],
  ])('reads %s', (address, endpoint) => {
    expect(parseVsphereAddress(address)).toEqual(endpoint);
  });

  it.each([[''], [null], ['host:0'], ['host:70000'], ['http://host'], ['a b'], ['host:port']])('rejects %p', (address) => {
    expect(() => parseVsphereAddress(address)).toThrow(expect.objectContaining({ code: 'InvalidAddress', retryable: false }));
  });
});
