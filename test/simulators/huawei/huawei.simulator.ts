import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector, type PageFault } from '../common/faults';
import { readBody, startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../common/http';
import { InventoryMap, itemsInRegion } from '../common/listing';
import type { CloudSimulator, SimAccount } from '../common/simulator';
import { renderInstance, renderServer } from './huawei-render';
import { ERRORS, sendError, sendJson, sendMalformed, type HuaweiError } from './huawei-responses';
import { verifySignature } from './huawei-signature';
import { SmnPublisher, type RmsEventType } from './smn-publisher';
import type { SimDatabase, SimHost } from '../common/model';

const ECS_MAX_LIMIT = 1000;
const ECS_DEFAULT_LIMIT = 25;
const RDS_MAX_LIMIT = 100;
/** Region names IAM knows: every account has one project per public region. */
const REGION_NAME = /^[a-z]{2}-[a-z]+-\d+$/;

const ECS_LIST = /^\/v1\/([^/]+)\/cloudservers\/detail\/?$/;
const RDS_LIST = /^\/v3\/([^/]+)\/instances\/?$/;
const IAM_PROJECTS = /^\/v3\/projects\/?$/;

interface AccountState extends SimAccount {
  apiKey: string;
  /** Project id -> region, for the projects handed out (through IAM or to a test). */
  projects: Map<string, string>;
}

interface Call {
  account: AccountState;
  query: URLSearchParams;
  res: ServerResponse;
}

/**
 * Huawei Cloud on 127.0.0.1: ECS ListServersDetails, RDS ListInstances and
 * IAM's project list, all behind one SDK-HMAC-SHA256 check, on one port.
 */
export class HuaweiSimulator implements CloudSimulator {
  readonly vendor = 'huawei' as const;
  readonly faults = new FaultInjector();
  /** IAM project look-ups answered: a provider should cache the project id. */
  iamCalls = 0;
  private readonly accounts = new Map<string, AccountState>();
  /** SMN on the same origin: Config notifications of every change made through `change`. */
  readonly smn: SmnPublisher;

  private constructor(private readonly http: RunningHttpServer) {
    this.smn = new SmnPublisher(() => this.address);
  }

  /**
   * Changes the account's inventory as the cloud would, then publishes the
   * Config notification of it to `topicUrn` (captured now, or at `captureTime`).
   */
  async change(
    apiKey: string,
    topicUrn: string,
    eventType: RmsEventType,
    item: { kind: 'host'; value: SimHost } | { kind: 'rds'; value: SimDatabase },
    captureTime = new Date(),
  ): Promise<void> {
    const account = this.accounts.get(apiKey)!;
    const items = (item.kind === 'host' ? account.hosts : account.databases) as Map<string, SimHost | SimDatabase>;
    if (eventType === 'DELETE') items.delete(item.value.id);
    else items.set(item.value.id, item.value);
    const projectId = handOut(account, item.value.region);
    const properties =
      eventType === 'DELETE' ? null : item.kind === 'host' ? renderServer(item.value, projectId) : renderInstance(item.value, projectId);
    await this.smn.resourceChanged({
      topicUrn,
      resourceType: item.kind === 'host' ? 'ecs.cloudservers' : 'rds.instances',
      eventType,
      resourceId: item.value.id,
      name: item.value.name,
      region: item.value.region,
      properties,
      captureTime,
    });
  }

  static async start(options: HttpServerOptions = {}): Promise<HuaweiSimulator> {
    const holder: { simulator?: HuaweiSimulator } = {};
    const http = await startHttpServer((req, res) => {
      holder.simulator!.handle(req, res).catch(() => {
        if (!res.headersSent) sendError(res, ERRORS.ecsServerError);
      });
    }, options);
    holder.simulator = new HuaweiSimulator(http);
    return holder.simulator;
  }

  get address(): string {
    return this.http.url;
  }

  addAccount(apiKey: string, apiSecret: string): SimAccount {
    const existing = this.accounts.get(apiKey);
    if (existing) return existing;
    const account: AccountState = {
      apiKey,
      apiSecret,
      hosts: new InventoryMap(),
      databases: new InventoryMap(),
      projects: new Map(),
    };
    this.accounts.set(apiKey, account);
    return account;
  }

  account(apiKey: string): SimAccount {
    const account = this.accounts.get(apiKey);
    if (!account) throw new Error(`no simulated Huawei account ${apiKey}`);
    return account;
  }

  /** The account's project id in a region: deterministic, so a test can put it in a secret. */
  projectId(apiKey: string, region: string): string {
    const account = this.accounts.get(apiKey);
    return account ? handOut(account, region) : projectIdOf(apiKey, region);
  }

  stop(): Promise<void> {
    return this.http.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.smn.handle(req, res)) return;
    const body = await readBody(req);
    res.setHeader('X-Request-Id', randomUUID().replace(/-/g, ''));
    await this.faults.delay();
    const verdict = this.faults.admit();

    const check = verifySignature({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }, (key) =>
      this.accounts.get(key)?.apiSecret,
    );
    if (!check.ok) return sendError(res, authError(check.reason));
    if (verdict === 'throttle') return sendError(res, ERRORS.throttled);

    const account = this.accounts.get(check.accessKey)!;
    const url = new URL(req.url ?? '/', 'http://simulator');
    const call: Call = { account, query: url.searchParams, res };
    if (req.method !== 'GET') return sendError(res, ERRORS.notFound);

    if (IAM_PROJECTS.test(url.pathname)) return this.listProjects(call);
    const ecs = ECS_LIST.exec(url.pathname);
    if (ecs) return this.withProject(call, ecs[1], (region) => this.listServers(call, region, decodeURIComponent(ecs[1])));
    const rds = RDS_LIST.exec(url.pathname);
    if (rds) return this.withProject(call, rds[1], (region) => this.listInstances(call, region, decodeURIComponent(rds[1])));
    sendError(res, ERRORS.notFound);
  }

  /** Keystone `GET /v3/projects?name=<region>`. */
  private listProjects({ account, query, res }: Call): void {
    this.iamCalls++;
    const name = query.get('name');
    const regions = name === null ? [...regionsOf(account)] : REGION_NAME.test(name) ? [name] : [];
    sendJson(res, 200, {
      projects: regions.map((region) => ({
        id: handOut(account, region),
        name: region,
        domain_id: domainIdOf(account.apiKey),
        parent_id: domainIdOf(account.apiKey),
        is_domain: false,
        enabled: true,
        description: '',
        links: { self: `${this.address}/v3/projects/${projectIdOf(account.apiKey, region)}` },
      })),
      links: { self: `${this.address}/v3/projects`, previous: null, next: null },
    });
  }

  private withProject(call: Call, rawProjectId: string, then: (region: string) => void): void {
    const projectId = decodeURIComponent(rawProjectId);
    const region =
      call.account.projects.get(projectId) ??
      [...regionsOf(call.account)].find((r) => projectIdOf(call.account.apiKey, r) === projectId);
    if (!region) return sendError(call.res, ERRORS.foreignProject);
    then(region);
  }

  /** ECS: `offset` is a page number from 1. */
  private listServers({ account, query, res }: Call, region: string, projectId: string): void {
    const limit = integerParam(query, 'limit', ECS_DEFAULT_LIMIT);
    const page = integerParam(query, 'offset', 1);
    if (limit === null || limit < 1 || limit > ECS_MAX_LIMIT) return sendError(res, ERRORS.ecsInvalidParameter('Invalid limit.'));
    if (page === null || page < 1) return sendError(res, ERRORS.ecsInvalidParameter('Invalid offset.'));
    if (this.pageFault(res, page, ERRORS.ecsServerError)) return;

    const serverId = query.get('server_id');
    const inRegion = itemsInRegion(account.hosts, region);
    const hosts = serverId === null ? inRegion : inRegion.filter((host) => host.id === serverId);
    const servers = hosts.slice((page - 1) * limit, page * limit).map((host) => renderServer(host, projectId));
    sendJson(res, 200, { count: hosts.length, servers }, this.faults.padding(page));
  }

  /** RDS: `offset` is a record offset from 0. */
  private listInstances({ account, query, res }: Call, region: string, projectId: string): void {
    const limit = integerParam(query, 'limit', RDS_MAX_LIMIT);
    const offset = integerParam(query, 'offset', 0);
    if (limit === null || limit < 1 || limit > RDS_MAX_LIMIT) return sendError(res, ERRORS.rdsInvalidParameter('Invalid limit.'));
    if (offset === null || offset < 0) return sendError(res, ERRORS.rdsInvalidParameter('Invalid offset.'));
    if (this.pageFault(res, Math.floor(offset / limit) + 1, ERRORS.rdsServerError)) return;

    const id = query.get('id');
    const inRegion = itemsInRegion(account.databases, region);
    const databases = id === null ? inRegion : inRegion.filter((db) => db.id === id);
    const instances = databases.slice(offset, offset + limit).map((db) => renderInstance(db, projectId));
    sendJson(res, 200, { instances, total_count: databases.length }, this.faults.padding(Math.floor(offset / limit) + 1));
  }

  /** Applies the fault planned for this page, if any; true when the answer is already given (or never will be). */
  private pageFault(res: ServerResponse, page: number, serverError: HuaweiError): boolean {
    const fault: PageFault = this.faults.beforePage(page);
    if (!fault) return false;
    if (fault.kind === 'server-error') sendError(res, serverError);
    else if (fault.kind === 'malformed') sendMalformed(res);
    // 'hang': never answer; stop() destroys the socket.
    return true;
  }
}

function authError(reason: 'missing' | 'unknown-key' | 'expired' | 'mismatch'): HuaweiError {
  if (reason === 'unknown-key') return ERRORS.unknownKey;
  if (reason === 'expired') return ERRORS.expired;
  return ERRORS.badSignature;
}

function projectIdOf(apiKey: string, region: string): string {
  return createHash('sha256').update(`project|${apiKey}|${region}`).digest('hex').slice(0, 32);
}

function domainIdOf(apiKey: string): string {
  return createHash('sha256').update(`domain|${apiKey}`).digest('hex').slice(0, 32);
}

/** The project of a region, remembered so requests find their region without scanning the inventory. */
function handOut(account: AccountState, region: string): string {
  const projectId = projectIdOf(account.apiKey, region);
  account.projects.set(projectId, region);
  return projectId;
}

/** Regions with a project handed out or holding resources (a full scan: only for unknown project ids). */
function regionsOf(account: AccountState): Set<string> {
  const regions = new Set(account.projects.values());
  for (const host of account.hosts.values()) regions.add(host.region);
  for (const db of account.databases.values()) regions.add(db.region);
  return regions;
}

function integerParam(query: URLSearchParams, name: string, fallback: number): number | null {
  const text = query.get(name);
  if (text === null) return fallback;
  return /^\d+$/.test(text) ? Number(text) : null;
}
