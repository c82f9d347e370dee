import { fields, moRef } from './vim-xml-writer';
import { ROOT_FOLDER } from './vim-inventory';

/** What the simulated vCenter says about itself: its ServiceContent and its supported versions. */

export const PRIOR_VERSIONS = ['8.0.1.0', '8.0.0.2', '8.0.0.1', '8.0.0.0', '7.0.3.0', '7.0.2.0', '7.0.1.0', '7.0.0.0', '6.7.3', '6.7.2', '6.7.1', '6.7', '6.5', '6.0'];

export function serviceContentXml(apiVersion: string): string {
  return (
    moRef('rootFolder', 'Folder', ROOT_FOLDER) +
    moRef('propertyCollector', 'PropertyCollector', 'propertyCollector') +
    moRef('viewManager', 'ViewManager', 'ViewManager') +
    '<about>' +
    fields([
      ['name', 'VMware vCenter Server'],
      ['fullName', `VMware vCenter Server ${apiVersion} build-00000000 (simulator)`],
      ['vendor', 'VMware, Inc.'],
      ['version', apiVersion.split('.').slice(0, 3).join('.')],
      ['build', '00000000'],
      ['localeVersion', 'INTL'],
      ['localeBuild', '000'],
      ['osType', 'linux-x64'],
      ['productLineId', 'vpx'],
      ['apiType', 'VirtualCenter'],
      ['apiVersion', apiVersion],
      ['instanceUuid', '0b2a7c4e-6d1f-4e8a-9c3b-5a7d9e1f3c5b'],
      ['licenseProductName', 'VMware VirtualCenter Server'],
      ['licenseProductVersion', apiVersion.split('.')[0] + '.0'],
    ]) +
    '</about>' +
    moRef('setting', 'OptionManager', 'VpxSettings') +
    moRef('userDirectory', 'UserDirectory', 'UserDirectory') +
    moRef('sessionManager', 'SessionManager', 'SessionManager') +
    moRef('authorizationManager', 'AuthorizationManager', 'AuthorizationManager') +
    moRef('searchIndex', 'SearchIndex', 'SearchIndex')
  );
}

/** `GET /sdk/vimServiceVersions.xml`, as vCenter publishes it for version negotiation. */
export function vimServiceVersionsXml(apiVersion: string): string {
  const prior = PRIOR_VERSIONS.map((version) => `      <version>${version}</version>`).join('\n');
  return (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<namespaces version="1.0">\n  <namespace>\n    <name>urn:vim25</name>\n' +
    `    <version>${apiVersion}</version>\n    <priorVersions>\n${prior}\n    </priorVersions>\n  </namespace>\n</namespaces>\n`
  );
}
