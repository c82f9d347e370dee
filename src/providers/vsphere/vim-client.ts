import { postSoap, type SoapTarget } from './soap-transport';
import {
  continueRetrievePropertiesExEnvelope,
  createContainerViewEnvelope,
  createFilterEnvelope,
  destroyPropertyFilterEnvelope,
  destroyViewEnvelope,
  loginEnvelope,
  logoutEnvelope,
  retrievePropertiesExEnvelope,
  retrieveServiceContentEnvelope,
  waitForUpdatesExEnvelope,
  type MoRef,
  type ViewQuery,
  type WaitOptions,
} from './vim-envelopes';
import { readUpdateSet, type UpdateSet } from './update-set';
import { faultError, httpStatusError } from './vsphere-errors';
import { MalformedSoapError, asArray, decodeValue, moRefOf, parseSoapReply, textOf, type VimValue, type XmlNode } from './vim-xml';

export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
  apiVersion: string;
}

export interface ObjectContent {
  obj: MoRef;
  /** Property path -> decoded value; a property the object does not have set is absent. */
  props: Record<string, VimValue>;
}

export interface RetrieveResult {
  objects: ObjectContent[];
  /** Present while more objects remain: pass it to ContinueRetrievePropertiesEx. */
  token: string | null;
}

/**
 * The version sent with the first call. Every vCenter from 6.5 to 8.x accepts
 * it, whereas a version newer than the server's is refused ("Unsupported
 * version URI"); later calls speak the server's own `about.apiVersion`.
 */
const BOOTSTRAP_API_VERSION = '6.5';
const SESSION_COOKIE = 'vmware_soap_session';

/**
 * One vim25 session with one vCenter: the typed calls the inventory needs.
 * Holds the session cookie after `login`; every method takes the signal of the
 * runtime call that wraps it. Faults come back as ProviderErrors whose code is
 * the fault type; the password is scrubbed from any text that leaves.
 */
export class VimClient {
  private cookie: string | null = null;
  private apiVersion = BOOTSTRAP_API_VERSION;
  private content: ServiceContent | null = null;

  constructor(
    private readonly target: SoapTarget,
    private readonly secrets: readonly string[],
  ) {}

  get serviceContent(): ServiceContent {
    if (!this.content) throw new Error('RetrieveServiceContent has not been called');
    return this.content;
  }

  get loggedIn(): boolean {
    return this.cookie !== null;
  }

  async retrieveServiceContent(signal: AbortSignal): Promise<ServiceContent> {
    const returnval = await this.invoke('RetrieveServiceContent', retrieveServiceContentEnvelope(), signal);
    const node = asArray(returnval)[0];
    const field = (name: string) => {
      const ref = typeof node === 'object' ? moRefOf(node[name]) : null;
      if (!ref) throw new MalformedSoapError(`ServiceContent has no ${name}`);
      return ref;
    };
    const about = typeof node === 'object' ? node.about : undefined;
    const apiVersion = typeof about === 'object' && !Array.isArray(about) ? textOf(about.apiVersion) : '';
    this.content = {
      rootFolder: field('rootFolder'),
      propertyCollector: field('propertyCollector'),
      viewManager: field('viewManager'),
      sessionManager: field('sessionManager'),
      apiVersion: apiVersion || BOOTSTRAP_API_VERSION,
    };
    if (/^\d+(\.\d+)*$/.test(apiVersion)) this.apiVersion = apiVersion;
    return this.content;
  }

  async login(userName: string, password: string, signal: AbortSignal): Promise<void> {
    this.cookie = null;
    const { setCookie } = await this.exchange('Login', loginEnvelope(this.serviceContent.sessionManager, userName, password), signal);
    const cookie = setCookie.map((line) => line.split(';')[0].trim()).find((pair) => pair.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) throw new MalformedSoapError(`Login answered without a ${SESSION_COOKIE} cookie`);
    this.cookie = cookie;
  }

  async logout(signal: AbortSignal): Promise<void> {
    if (!this.cookie) return;
    try {
      await this.invoke('Logout', logoutEnvelope(this.serviceContent.sessionManager), signal);
    } finally {
      this.cookie = null;
    }
  }

  async createContainerView(container: MoRef, types: string[], recursive: boolean, signal: AbortSignal): Promise<MoRef> {
    const envelope = createContainerViewEnvelope(this.serviceContent.viewManager, container, types, recursive);
    const view = moRefOf(asArray(await this.invoke('CreateContainerView', envelope, signal))[0]);
    if (!view) throw new MalformedSoapError('CreateContainerView returned no view');
    return view;
  }

  async destroyView(view: MoRef, signal: AbortSignal): Promise<void> {
    await this.invoke('DestroyView', destroyViewEnvelope(view), signal);
  }

  async retrievePropertiesEx(query: ViewQuery, maxObjects: number, signal: AbortSignal): Promise<RetrieveResult> {
    const envelope = retrievePropertiesExEnvelope(this.serviceContent.propertyCollector, query, maxObjects);
    return readRetrieveResult(await this.invoke('RetrievePropertiesEx', envelope, signal));
  }

  async continueRetrievePropertiesEx(token: string, signal: AbortSignal): Promise<RetrieveResult> {
    const envelope = continueRetrievePropertiesExEnvelope(this.serviceContent.propertyCollector, token);
    return readRetrieveResult(await this.invoke('ContinueRetrievePropertiesEx', envelope, signal));
  }

  async createFilter(query: ViewQuery, signal: AbortSignal): Promise<MoRef> {
    const filter = moRefOf(asArray(await this.invoke('CreateFilter', createFilterEnvelope(this.serviceContent.propertyCollector, query), signal))[0]);
    if (!filter) throw new MalformedSoapError('CreateFilter returned no filter');
    return filter;
  }

  /** null: the wait ended (maxWaitSeconds) with nothing new; keep the version held. */
  async waitForUpdatesEx(version: string, options: WaitOptions, signal: AbortSignal): Promise<UpdateSet | null> {
    const envelope = waitForUpdatesExEnvelope(this.serviceContent.propertyCollector, version, options);
    return readUpdateSet(await this.invoke('WaitForUpdatesEx', envelope, signal));
  }

  async destroyPropertyFilter(filter: MoRef, signal: AbortSignal): Promise<void> {
    await this.invoke('DestroyPropertyFilter', destroyPropertyFilterEnvelope(filter), signal);
  }

  private async invoke(method: string, envelope: string, signal: AbortSignal) {
    return (await this.exchange(method, envelope, signal)).returnval;
  }

  private async exchange(method: string, envelope: string, signal: AbortSignal) {
    const headers: Record<string, string> = {
      'Content-Type': 'text/xml; charset=utf-8',
      SOAPAction: `urn:vim25/${this.apiVersion}`,
    };
    if (this.cookie) headers.Cookie = this.cookie;
    const response = await postSoap(this.target, headers, envelope, signal);
    let reply;
    try {
      reply = parseSoapReply(response.body, method);
    } catch (error) {
      // An HTML error page from a proxy says more by its status than by its body.
      if (error instanceof MalformedSoapError && response.status !== 200) throw httpStatusError(response.status);
      throw error;
    }
    if (reply.kind === 'fault') throw faultError(reply.fault, response.status, this.secrets);
    if (response.status !== 200) throw httpStatusError(response.status);
    return { returnval: reply.returnval, setCookie: response.setCookie };
  }
}

function readRetrieveResult(returnval: XmlNode | XmlNode[] | undefined): RetrieveResult {
  // An empty result is an answer without returnval.
  const node = asArray(returnval)[0];
  if (node === undefined || typeof node === 'string') return { objects: [], token: null };
  const objects = asArray(node.objects).map((entry): ObjectContent => {
    if (typeof entry !== 'object') throw new MalformedSoapError('an ObjectContent without fields');
    const obj = moRefOf(entry.obj);
    if (!obj) throw new MalformedSoapError('an ObjectContent without obj');
    const props: Record<string, VimValue> = {};
    for (const property of asArray(entry.propSet)) {
      if (typeof property !== 'object' || property.val === undefined) continue;
      props[textOf(property.name)] = decodeValue(property.val);
    }
    return { obj, props };
  });
  const token = textOf(node.token);
  return { objects, token: token === '' ? null : token };
}
