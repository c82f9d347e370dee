import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../common/http';
import { HttpSimulator } from '../common/http-simulator';
import type { SimAccount } from '../common/simulator';
import { itemsInRegion } from '../common/listing';
import type { SimDatabase, SimHost } from '../common/model';
import { aliyunSignature, parseAliyunParams } from './aliyun-signature';
import { ecsInstance, rdsInstance } from './aliyun-wire';

/** Aliyun's RPC error: the HTTP status and the body `Code` the vendor sends. */
class AliyunFault {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

interface ListApi {
  host: string;
  pageSizeDefault: number;
  pageSizeMax: number;
  list(account: SimAccount, region: string): unknown[];
  /** The ids a request narrows the listing to (InstanceIds, DBInstanceId), or null for all. */
  ids(params: Map<string, string>): string[] | null;
  render(items: unknown[], page: { number: number; size: number; total: number }): Record<string, unknown>;
}

/** ECS and RDS share one endpoint here, told apart by Action and Version. */
const APIS: Record<string, ListApi> = {
  '2014-05-26/DescribeInstances': {
    host: 'ecs.aliyuncs.com',
    pageSizeDefault: 10,
    pageSizeMax: 100,
    list: (account, region) => itemsInRegion(account.hosts, region),
    ids: (params) => (params.get('InstanceIds') ? jsonIds(params.get('InstanceIds')!) : null),
    render: (items, page) => ({
      TotalCount: page.total,
      PageNumber: page.number,
      PageSize: page.size,
      Instances: { Instance: (items as SimHost[]).map(ecsInstance) },
    }),
  },
  '2014-08-15/DescribeDBInstances': {
    host: 'rds.aliyuncs.com',
    pageSizeDefault: 30,
    pageSizeMax: 100,
    list: (account, region) => itemsInRegion(account.databases, region),
    ids: (params) => (params.get('DBInstanceId') ? params.get('DBInstanceId')!.split(',') : null),
    render: (items, page) => ({
      Items: { DBInstance: (items as SimDatabase[]).map(rdsInstance) },
      TotalRecordCount: page.total,
      PageNumber: page.number,
      PageRecordCount: items.length,
    }),
  },
};

const TIMESTAMP_WINDOW_MS = 15 * 60_000;

/**
 * A fake Aliyun RPC endpoint (ECS DescribeInstances, RDS DescribeDBInstances)
 * that checks signatures, timestamps and nonces as the vendor does and renders
 * the FaultInjector's faults in Aliyun's error shapes.
 */
export class AliyunSimulator extends HttpSimulator {
  readonly vendor = 'aliyun' as const;
  private readonly usedNonces = new Map<string, number>();

  private constructor() {
    super('Aliyun');
  }

  static start(): Promise<AliyunSimulator> {
    return HttpSimulator.listen(new AliyunSimulator());
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = this.faults.admit();
    await this.faults.delay();
    const requestId = randomUUID().toUpperCase();
    const query = (req.url ?? '/').split('?')[1] ?? '';
    const params = parseAliyunParams(query);
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'POST') parseAliyunParams((await readBody(req)).toString('utf8'), params);
      const account = this.authenticate(method, params);
      const api = APIS[`${params.get('Version')}/${params.get('Action')}`];
      if (!api) throw new AliyunFault(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
      if (verdict === 'throttle') {
        throw new AliyunFault(400, 'Throttling.User', 'Request was denied due to user flow control.');
      }
      const region = params.get('RegionId');
      if (!region) throw missing('RegionId');
      const pageNumber = intParam(params, 'PageNumber', 1, 1, Number.MAX_SAFE_INTEGER);
      const pageSize = intParam(params, 'PageSize', api.pageSizeDefault, 1, api.pageSizeMax);

      const fault = this.faults.beforePage(pageNumber);
      if (fault?.kind === 'hang') return; // never answered; the server's close() drops the socket
      if (fault?.kind === 'malformed') return send(res, 200, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html');
      if (fault?.kind === 'server-error') {
        throw new AliyunFault(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.');
      }

      const ids = api.ids(params);
      const listed = api.list(account, region);
      const all = ids ? listed.filter((item) => ids.includes((item as { id: string }).id)) : listed;
      const start = (pageNumber - 1) * pageSize;
      const body = api.render(all.slice(start, start + pageSize), { number: pageNumber, size: pageSize, total: all.length });
      send(res, 200, JSON.stringify({ RequestId: requestId, ...body }) + this.faults.padding(pageNumber));
    } catch (thrown) {
      const error = thrown instanceof AliyunFault ? thrown : new AliyunFault(500, 'InternalError', String(thrown));
      const hostId = APIS[`${params.get('Version')}/${params.get('Action')}`]?.host ?? 'ecs.aliyuncs.com';
      send(res, error.status, JSON.stringify({ RequestId: requestId, HostId: hostId, Code: error.code, Message: error.message }));
    }
  }

  /** Key, timestamp window, signature, then nonce: the order the gateway reports them in. */
  private authenticate(method: string, params: Map<string, string>): SimAccount {
    for (const name of ['AccessKeyId', 'Signature', 'SignatureNonce', 'Timestamp']) if (!params.get(name)) throw missing(name);
    const account = this.accounts.find(params.get('AccessKeyId')!);
    if (!account) throw new AliyunFault(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const timestamp = params.get('Timestamp')!;
    const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp) ? Date.parse(timestamp) : NaN;
    if (Number.isNaN(at)) throw new AliyunFault(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    if (Math.abs(Date.now() - at) > TIMESTAMP_WINDOW_MS) {
      throw new AliyunFault(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
    if (aliyunSignature(method, params, account.apiSecret) !== params.get('Signature')) {
      throw new AliyunFault(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    this.rememberNonce(params.get('SignatureNonce')!);
    return account;
  }

  private rememberNonce(nonce: string): void {
    const now = Date.now();
    if (this.usedNonces.has(nonce)) throw new AliyunFault(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    this.usedNonces.set(nonce, now);
    if (this.usedNonces.size > 100_000) {
      for (const [seen, at] of this.usedNonces) if (now - at > TIMESTAMP_WINDOW_MS) this.usedNonces.delete(seen);
    }
  }
}

/** InstanceIds is a JSON array in a string, as Aliyun takes it. */
function jsonIds(text: string): string[] {
  try {
    const ids: unknown = JSON.parse(text);
    if (Array.isArray(ids) && ids.every((id) => typeof id === 'string')) return ids;
  } catch {
    // answered below
  }
  throw new AliyunFault(400, 'InvalidInstanceIds.Malformed', 'The specified parameter "InstanceIds" is not valid.');
}

function missing(name: string): AliyunFault {
  return new AliyunFault(
    400,
    'MissingParameter',
    `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
  );
}

function intParam(params: Map<string, string>, name: string, fallback: number, min: number, max: number): number {
  const text = params.get(name);
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AliyunFault(400, 'InvalidParameter', `The specified parameter "${name}" is not valid.`);
  }
  return value;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json;charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
