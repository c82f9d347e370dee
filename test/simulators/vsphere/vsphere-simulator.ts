import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector } from '../common/faults';
import { readBody } from '../common/http';
import type { SimHost } from '../common/model';
import type { CloudSimulator, SimAccount } from '../common/simulator';
import { createTestPki } from './certificates';
import { attribute, child, list, parseSoapRequest, text, type Node } from './soap-request';
import { DatacenterRegistry } from './vim-inventory';
import { notFound, VimFault } from './vim-fault';
import { PRIOR_VERSIONS, serviceContentXml, vimServiceVersionsXml } from './vim-service';
import { VimSessions, type SimSession } from './vim-sessions';
import { collectObjects, renderObjects, viewContents, type UserInventory } from './vim-views';
import { fault, moRef, response } from './vim-xml-writer';

/**
 * A vCenter on 127.0.0.1 over HTTPS, speaking the vim25 subset the inventory
 * uses: RetrieveServiceContent, Login/Logout, CreateContainerView/DestroyView,
 * RetrievePropertiesEx/ContinueRetrievePropertiesEx, the change feed
 * (CreateFilter, WaitForUpdatesEx, DestroyPropertyFilter: see
 * property-collector.ts), and
 * `GET /sdk/vimServiceVersions.xml`. Its certificate is signed by a CA made at
 * start (`caPem`), so clients can be tested with and without trusting it.
 *
 * Accounts are vCenter users (apiKey = user name, apiSecret = password); each
 * sees its own VMs, spread over datacenters by `SimHost.datacenter ?? region`.
 * Sessions expire after `sessionTtlMs` of idleness, like vCenter's idle
 * timeout; container views and retrieval tokens belong to their session and
 * die with it, as on a real vCenter.
 *
 * Faults (FaultInjector): vSphere has no throttling fault, so a throttled call
 * is answered the way an overloaded vCenter's reverse proxy answers, HTTP 503,
 * here with a SystemError SOAP fault in the body. A server error is HTTP 500
 * SystemError; malformed is a 200 whose body is not XML; hang never answers.
 * "Page n" is the n-th VirtualMachine page (RetrievePropertiesEx or Continue)
 * a session is answered; a faulted page keeps its number for the retry.
 */

export interface VsphereSimulatorOptions {
  /** Idle time after which a session is gone (vCenter's default: 30 minutes). */
  sessionTtlMs?: number;
  /** `about.apiVersion`; the SOAPAction of a request must name it or a prior version. */
  apiVersion?: string;
}

/** How often a waiting WaitForUpdatesEx looks at the inventory again. */
const WAIT_POLL_MS = 25;
/** What vCenter caps maxObjects at when a client asks for none. */
const DEFAULT_MAX_OBJECTS = 100;

type Reply = { status: number; body: string; setCookie?: string } | 'hang';

interface AccountState {
  account: SimAccount;
  datacenters: DatacenterRegistry;
}

export class VsphereSimulator implements CloudSimulator {
  readonly vendor = 'vsphere' as const;
  readonly faults = new FaultInjector();
  /** VM ids (MoRefs) that are templates: listed by vCenter, skipped by the inventory. */
  readonly templates = new Set<string>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly sessions: VimSessions;
  private readonly calls = new Map<string, number>();
  private updatesAnsweredAt: number | null = null;
  private readonly apiVersion: string;
  private nextRetrieval = 1;
  /** Every request read and never answered: a vCenter whose vpxd hung behind its reverse proxy. */
  unresponsive = false;
  /** One-shot mutations run before the next call of a method is served (`beforeNextCall`). */
  private readonly callHooks = new Map<string, () => void>();

  private constructor(
    private readonly server: https.Server,
    private readonly sockets: Set<Socket>,
    readonly address: string,
    readonly caPem: string,
    options: VsphereSimulatorOptions,
  ) {
    this.sessions = new VimSessions(options.sessionTtlMs ?? 30 * 60_000);
    this.apiVersion = options.apiVersion ?? '8.0.2.0';
  }

  static async start(options: VsphereSimulatorOptions = {}): Promise<VsphereSimulator> {
    const pki = createTestPki();
    const server = https.createServer({ key: pki.serverKeyPem, cert: pki.serverCertPem });
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const simulator = new VsphereSimulator(server, sockets, `127.0.0.1:${port}`, pki.caPem, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      simulator.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    return simulator;
  }

  addAccount(apiKey: string, apiSecret: string): SimAccount {
    const existing = this.accounts.get(apiKey);
    if (existing) return existing.account;
    const account: SimAccount = { apiSecret, hosts: new Map(), databases: new Map() };
    this.accounts.set(apiKey, { account, datacenters: new DatacenterRegistry() });
    return account;
  }

  account(apiKey: string): SimAccount {
    const state = this.accounts.get(apiKey);
    if (!state) throw new Error(`no vSphere account ${apiKey}`);
    return state.account;
  }

  /** Adds VMs to an account's inventory. */
  load(apiKey: string, hosts: SimHost[]): void {
    const { account } = this.state(apiKey);
    for (const host of hosts) account.hosts.set(host.id, host);
  }

  /** A datacenter that exists even without VMs. */
  addDatacenter(apiKey: string, name: string): void {
    this.state(apiKey).datacenters.ensure(name);
  }

  /** Ends every session now, as an idle timeout or a vCenter restart would. */
  expireSessions(): void {
    this.sessions.clear();
  }

  /** A vCenter restart: every session ends, and the collectors of the new ones know no version handed out before. */
  restart(): void {
    this.expireSessions();
  }

  /** Every collector refuses the versions it handed out (InvalidCollectorVersion), sessions staying alive. */
  invalidateCollectorVersions(): void {
    for (const session of this.sessions.all()) session.collector.invalidate();
  }

  /** Test hooks on one VM: what a vCenter operator does; the change feed reports it. */
  powerOff(apiKey: string, vmId: string): void {
    this.vm(apiKey, vmId).rawStatus = 'poweredOff';
  }

  powerOn(apiKey: string, vmId: string): void {
    this.vm(apiKey, vmId).rawStatus = 'poweredOn';
  }

  rename(apiKey: string, vmId: string, name: string): void {
    this.vm(apiKey, vmId).name = name;
  }

  addVm(apiKey: string, host: SimHost): void {
    this.load(apiKey, [host]);
  }

  removeVm(apiKey: string, vmId: string): void {
    this.state(apiKey).account.hosts.delete(vmId);
  }

  /** Runs `mutate` once, right before the next call of `method` is served: what an operator does between two calls of a client. */
  beforeNextCall(method: string, mutate: () => void): void {
    this.callHooks.set(method, mutate);
  }

  /** When a WaitForUpdatesEx last answered with changes (epoch ms): where vCenter's part of a change's delay ends. */
  get lastUpdatesAnsweredAt(): number | null {
    return this.updatesAnsweredAt;
  }

  /** Requests received for one vim25 method. */
  callCount(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  /** Sessions logged in and not logged out (nor expired). */
  get openSessions(): number {
    return this.sessions.size;
  }

  /** Container views not destroyed, over every open session. */
  get openViews(): number {
    let count = 0;
    for (const session of this.sessions.all()) count += session.views.size;
    return count;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      for (const socket of this.sockets) socket.destroy();
      this.server.close(() => resolve());
    });
  }

  private vm(apiKey: string, vmId: string): SimHost {
    const host = this.state(apiKey).account.hosts.get(vmId);
    if (!host) throw new Error(`no VM ${vmId} in vSphere account ${apiKey}`);
    return host;
  }

  private state(apiKey: string): AccountState {
    const state = this.accounts.get(apiKey);
    if (!state) throw new Error(`no vSphere account ${apiKey}`);
    return state;
  }

  private inventory(user: string): UserInventory {
    return { ...this.state(user), templates: this.templates };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/sdk/vimServiceVersions.xml') {
      res.writeHead(200, { 'Content-Type': 'text/xml' }).end(vimServiceVersionsXml(this.apiVersion));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/sdk') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
      return;
    }
    const body = (await readBody(req)).toString('utf8');
    if (this.unresponsive) return;
    if (this.faults.admit() === 'throttle') {
      this.send(res, { status: 503, body: fault('SystemError', 'Service Unavailable: too many requests, retry later', '<reason>throttled</reason>') });
      return;
    }
    await this.faults.delay();
    let reply: Reply;
    try {
      reply = await this.dispatch(req, body);
    } catch (error) {
      if (!(error instanceof VimFault)) throw error;
      reply = { status: error.status, body: fault(error.type, error.message, error.detail) };
    }
    if (reply !== 'hang') this.send(res, reply);
  }

  private send(res: ServerResponse, reply: Exclude<Reply, 'hang'>): void {
    const headers: Record<string, string> = { 'Content-Type': 'text/xml; charset=utf-8' };
    if (reply.setCookie) headers['Set-Cookie'] = reply.setCookie;
    res.writeHead(reply.status, headers).end(reply.body);
  }

  private dispatch(req: IncomingMessage, body: string): Reply | Promise<Reply> {
    const contentType = req.headers['content-type'] ?? '';
    const action = String(req.headers.soapaction ?? '').replace(/^"|"$/g, '');
    const request = parseSoapRequest(body);
    if (!request || !contentType.startsWith('text/xml')) {
      throw new VimFault('InvalidRequest', 'The request is not a SOAP envelope', '', 500);
    }
    this.calls.set(request.method, (this.calls.get(request.method) ?? 0) + 1);
    const hook = this.callHooks.get(request.method);
    this.callHooks.delete(request.method);
    hook?.();
    const version = /^urn:vim25\/(.+)$/.exec(action)?.[1];
    if (!version || (version !== this.apiVersion && !PRIOR_VERSIONS.includes(version))) {
      throw new VimFault('InvalidRequest', `Unsupported version URI "${action}"`);
    }
    const { method, args } = request;
    switch (method) {
      case 'RetrieveServiceContent':
        return this.ok(method, serviceContentXml(this.apiVersion));
      case 'Login':
        return this.login(args);
      case 'RetrievePropertiesEx':
      case 'ContinueRetrievePropertiesEx':
        return this.retrieve(req, method, args);
    }
    const session = this.sessions.authenticated(req);
    switch (method) {
      case 'Logout':
        this.sessions.logout(session);
        return this.ok(method, null);
      case 'CreateContainerView':
        return this.createContainerView(session, args);
      case 'DestroyView': {
        const view = text(args._this);
        if (!session.views.delete(view)) throw notFound('ContainerView', view);
        return this.ok(method, null);
      }
      case 'CreateFilter':
        return this.createFilter(session, args);
      case 'WaitForUpdatesEx':
        return this.waitForUpdates(req, session, args);
      case 'DestroyPropertyFilter': {
        const filter = text(args._this);
        if (!session.collector.destroyFilter(filter)) throw notFound('PropertyFilter', filter);
        return this.ok(method, null);
      }
      default:
        throw new VimFault('MethodNotFound', `Method ${method} is not served by this simulator`);
    }
  }

  private ok(method: string, returnval: string | null, setCookie?: string): Reply {
    return { status: 200, body: response(method, returnval), setCookie };
  }

  private login(args: SoapArgs): Reply {
    const userName = text(args.userName);
    const state = this.accounts.get(userName);
    if (!state || state.account.apiSecret !== text(args.password)) {
      throw new VimFault('InvalidLogin', 'Cannot complete login due to an incorrect user name or password.');
    }
    const { returnval, setCookie } = this.sessions.login(userName);
    return this.ok('Login', returnval, setCookie);
  }

  private createContainerView(session: SimSession, args: SoapArgs): Reply {
    const containerRef = text(args.container);
    const container = this.state(session.user).datacenters.byContainer(containerRef);
    if (container === undefined) throw notFound(attribute(args.container, 'type') ?? 'ManagedEntity', containerRef);
    const types = list(args.type).map((node) => text(node));
    const id = `session[${session.key}]${randomUUID()}`;
    session.views.set(id, { container, type: types[0] ?? '' });
    return this.ok('CreateContainerView', moRef('returnval', 'ContainerView', id));
  }

  /** A filter over what a container view holds (the view itself skipped), with the requested paths. */
  private createFilter(session: SimSession, args: SoapArgs): Reply {
    const spec = list(args.spec)[0];
    const propSet = list(child(spec, 'propSet'))[0];
    const objectSet = list(child(spec, 'objectSet'))[0];
    const objectType = text(child(propSet, 'type'));
    const paths = list(child(propSet, 'pathSet')).map((node) => text(node));
    const viewId = text(child(objectSet, 'obj'));
    const view = session.views.get(viewId);
    if (!view) throw notFound('ContainerView', viewId);
    const traversesView = list(child(objectSet, 'selectSet')).some((node) => text(child(node, 'type')) === 'ContainerView' && text(child(node, 'path')) === 'view');
    const contents = () => {
      if (!traversesView || view.type !== objectType || !this.sessions.isAlive(session)) return [];
      const inventory = this.inventory(session.user);
      return collectObjects(inventory, objectType, paths, viewContents(inventory, view));
    };
    return this.ok('CreateFilter', moRef('returnval', 'PropertyFilter', session.collector.createFilter({ objectType, contents })));
  }

  /**
   * WaitForUpdatesEx: answers at once when something changed (or for version
   * ''), else looks again every few ms until maxWaitSeconds pass, then
   * answers without returnval. A session ended meanwhile (expireSessions,
   * restart) fails the wait with NotAuthenticated, as vCenter does.
   */
  private async waitForUpdates(req: IncomingMessage, session: SimSession, args: SoapArgs): Promise<Reply> {
    const version = text(args.version);
    const maxWaitSeconds = Number(text(child(args.options, 'maxWaitSeconds')) || '0');
    const maxObjectUpdates = Number(text(child(args.options, 'maxObjectUpdates')) || '0');
    const deadline = Date.now() + Math.max(0, maxWaitSeconds) * 1000;
    for (;;) {
      if (!this.sessions.isAlive(session)) this.sessions.authenticated(req);
      const lookStartedAt = Date.now();
      const result = session.collector.collect(version, Number.isInteger(maxObjectUpdates) && maxObjectUpdates > 0 ? maxObjectUpdates : 100);
      if (result.kind === 'invalid-version') {
        throw new VimFault('InvalidCollectorVersion', 'The collector version is not valid.');
      }
      if (result.kind === 'updates') {
        this.updatesAnsweredAt = Date.now();
        return this.ok('WaitForUpdatesEx', result.returnval);
      }
      if (Date.now() >= deadline || !this.server.listening) return this.ok('WaitForUpdatesEx', null);
      // A look over a large inventory takes a while: rest at least as long, so waits leave the simulator time to serve other calls.
      await new Promise((resolve) => setTimeout(resolve, Math.max(WAIT_POLL_MS, Date.now() - lookStartedAt)));
      session.lastUsedAt = Date.now(); // a waiting session is in use
    }
  }

  /**
   * RetrievePropertiesEx and ContinueRetrievePropertiesEx. The result set is
   * fixed when the retrieval starts (as a PropertyCollector does); values are
   * read when each page is served. Tokens name a position, so a retried
   * Continue returns the same page.
   */
  private retrieve(req: IncomingMessage, method: string, args: SoapArgs): Reply {
    const candidate = this.sessions.of(req);
    const start = method === 'RetrievePropertiesEx' ? this.readSpec(args) : null;
    const token = method === 'ContinueRetrievePropertiesEx' ? text(args.token) : null;
    const objectType = start?.objectType ?? (token !== null ? candidate?.retrievals.get(token.split(':')[0])?.objectType : undefined);
    const isVmPage = objectType === 'VirtualMachine' && candidate !== undefined;
    const pageFault = isVmPage ? this.faults.beforePage(candidate.vmPagesServed + 1) : null;
    const session = this.sessions.authenticated(req); // after beforePage: a test may expire sessions "before page n"
    if (pageFault?.kind === 'hang') return 'hang';
    if (pageFault?.kind === 'server-error') {
      throw new VimFault('SystemError', 'A general system error occurred: simulated server failure', '<reason>simulated</reason>');
    }
    if (pageFault?.kind === 'malformed') return { status: 200, body: 'upstream connect error or disconnect/reset before headers' };

    let retrievalId: string;
    let offset: number;
    if (start) {
      const view = session.views.get(start.view);
      if (!view) throw notFound('ContainerView', start.view);
      retrievalId = String(this.nextRetrieval++);
      const ids = start.traversesView && view.type === start.objectType ? viewContents(this.inventory(session.user), view) : [];
      session.retrievals.set(retrievalId, { objectType: start.objectType, ids, paths: start.paths, maxObjects: start.maxObjects });
      offset = 0;
    } else {
      const [id, position] = (token ?? '').split(':');
      if (!session.retrievals.has(id) || !/^\d+$/.test(position ?? '')) {
        throw new VimFault('InvalidArgument', 'A specified parameter was not correct: token', '<invalidProperty>token</invalidProperty>');
      }
      retrievalId = id;
      offset = Number(position);
    }
    const retrieval = session.retrievals.get(retrievalId)!;
    const slice = retrieval.ids.slice(offset, offset + retrieval.maxObjects);
    const next = offset + slice.length;
    const objects = renderObjects(this.inventory(session.user), retrieval.objectType, retrieval.paths, slice);
    if (retrieval.objectType === 'VirtualMachine') session.vmPagesServed++;
    if (objects === '' && next >= retrieval.ids.length) return this.ok(method, null); // an empty result has no returnval
    const nextToken = next < retrieval.ids.length ? `<token>${retrievalId}:${next}</token>` : '';
    // Whitespace after the envelope: an oversized but valid answer when a test plans one.
    const padding = isVmPage ? this.faults.padding(candidate.vmPagesServed) : '';
    return { status: 200, body: response(method, nextToken + objects) + padding };
  }

  private readSpec(args: SoapArgs) {
    const spec = list(args.specSet)[0];
    const propSet = list(child(spec, 'propSet'))[0];
    const objectSet = list(child(spec, 'objectSet'))[0];
    const selectSet = list(child(objectSet, 'selectSet'));
    const maxObjects = Number(text(child(args.options, 'maxObjects')));
    return {
      objectType: text(child(propSet, 'type')),
      paths: list(child(propSet, 'pathSet')).map((node) => text(node)),
      view: text(child(objectSet, 'obj')),
      traversesView: selectSet.some((node) => text(child(node, 'type')) === 'ContainerView' && text(child(node, 'path')) === 'view'),
      maxObjects: Number.isInteger(maxObjects) && maxObjects > 0 ? maxObjects : DEFAULT_MAX_OBJECTS,
    };
  }
}

type SoapArgs = { [key: string]: Node | Node[] };
