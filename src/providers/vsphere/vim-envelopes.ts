/**
 * The request envelopes of the vim25 calls the client makes, as templates.
 * Every interpolated value goes through `xml()`: a password or a name with
 * `<` or `&` in it must not be able to change the document.
 */

export interface MoRef {
  type: string;
  value: string;
}

export function xml(value: string | number | boolean): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const moRef = (tag: string, ref: MoRef) => `<${tag} type="${xml(ref.type)}">${xml(ref.value)}</${tag}>`;

function envelope(method: string, body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><${method} xmlns="urn:vim25">${body}</${method}></soapenv:Body></soapenv:Envelope>`
  );
}

export const SERVICE_INSTANCE: MoRef = { type: 'ServiceInstance', value: 'ServiceInstance' };

export const retrieveServiceContentEnvelope = () =>
  envelope('RetrieveServiceContent', moRef('_this', SERVICE_INSTANCE));

export const loginEnvelope = (sessionManager: MoRef, userName: string, password: string) =>
  envelope(
    'Login',
    moRef('_this', sessionManager) + `<userName>${xml(userName)}</userName><password>${xml(password)}</password>`,
  );

export const logoutEnvelope = (sessionManager: MoRef) => envelope('Logout', moRef('_this', sessionManager));

export const createContainerViewEnvelope = (viewManager: MoRef, container: MoRef, types: string[], recursive: boolean) =>
  envelope(
    'CreateContainerView',
    moRef('_this', viewManager) +
      moRef('container', container) +
      types.map((type) => `<type>${xml(type)}</type>`).join('') +
      `<recursive>${recursive}</recursive>`,
  );

export const destroyViewEnvelope = (view: MoRef) => envelope('DestroyView', moRef('_this', view));

/** Properties of every object of `objectType` that a container view holds (the view itself skipped). */
export interface ViewQuery {
  view: MoRef;
  objectType: string;
  paths: readonly string[];
}

/** The propSet and objectSet of a PropertyFilterSpec over a ViewQuery: the view's objects, not the view. */
const viewFilterSpec = (query: ViewQuery) =>
  `<propSet><type>${xml(query.objectType)}</type>` +
  query.paths.map((path) => `<pathSet>${xml(path)}</pathSet>`).join('') +
  '</propSet>' +
  `<objectSet>${moRef('obj', query.view)}<skip>true</skip>` +
  '<selectSet xsi:type="TraversalSpec"><name>traverseView</name><type>ContainerView</type>' +
  '<path>view</path><skip>false</skip></selectSet>' +
  '</objectSet>';

export const retrievePropertiesExEnvelope = (propertyCollector: MoRef, query: ViewQuery, maxObjects: number) =>
  envelope(
    'RetrievePropertiesEx',
    moRef('_this', propertyCollector) +
      `<specSet>${viewFilterSpec(query)}</specSet>` +
      `<options><maxObjects>${xml(maxObjects)}</maxObjects></options>`,
  );

export const continueRetrievePropertiesExEnvelope = (propertyCollector: MoRef, token: string) =>
  envelope('ContinueRetrievePropertiesEx', moRef('_this', propertyCollector) + `<token>${xml(token)}</token>`);

/**
 * A filter on the session's PropertyCollector over what a container view
 * holds. `partialUpdates` false: a change names the whole requested path, so
 * a modify replaces the value the client holds for it.
 */
export const createFilterEnvelope = (propertyCollector: MoRef, query: ViewQuery) =>
  envelope(
    'CreateFilter',
    moRef('_this', propertyCollector) + `<spec>${viewFilterSpec(query)}</spec><partialUpdates>false</partialUpdates>`,
  );

export interface WaitOptions {
  /** The longest the server holds the call when nothing changed; it then answers an empty result. */
  maxWaitSeconds: number;
  /** Object updates per answer; more come as `truncated` answers continued with their version. */
  maxObjectUpdates: number;
}

/** `version` '' asks for everything the filters hold, as `enter` updates. */
export const waitForUpdatesExEnvelope = (propertyCollector: MoRef, version: string, options: WaitOptions) =>
  envelope(
    'WaitForUpdatesEx',
    moRef('_this', propertyCollector) +
      `<version>${xml(version)}</version>` +
      `<options><maxWaitSeconds>${xml(options.maxWaitSeconds)}</maxWaitSeconds>` +
      `<maxObjectUpdates>${xml(options.maxObjectUpdates)}</maxObjectUpdates></options>`,
  );

export const destroyPropertyFilterEnvelope = (filter: MoRef) => envelope('DestroyPropertyFilter', moRef('_this', filter));
