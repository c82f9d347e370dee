import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../common/http';
import { HttpSimulator } from '../common/http-simulator';
import type { SimAccount } from '../common/simulator';
import { itemsInRegion } from '../common/listing';
import type { SimDatabase, SimHost } from '../common/model';
import { parseTc3Authorization, tc3Signature } from './tencent-signature';
import { cdbInstance, cvmInstance } from './tencent-wire';

/** Tencent Cloud API 3.0 answers every error as HTTP 200 with `Response.Error`. */
class TencentFault {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

interface ListApi {
  limitDefault: number;
  limitMax: number;
  list(account: SimAccount, region: string): unknown[];
  render(items: unknown[], total: number): Record<string, unknown>;
}

/** Keyed by `service/version/action`; the service is the first label of the Host header. */
const APIS: Record<string, ListApi> = {
  'cvm/2017-03-12/DescribeInstances': {
    limitDefault: 20,
    limitMax: 100,
    list: (account, region) => itemsInRegion(account.hosts, region),
    render: (items, total) => ({ TotalCount: total, InstanceSet: (items as SimHost[]).map(cvmInstance) }),
  },
  'cdb/2017-03-20/DescribeDBInstances': {
    limitDefault: 20,
    limitMax: 2000,
    list: (account, region) => itemsInRegion(account.databases, region),
    render: (items, total) => ({ TotalCount: total, Items: (items as SimDatabase[]).map(cdbInstance) }),
  },
};

const TIMESTAMP_WINDOW_S = 5 * 60;

/**
 * A fake Tencent Cloud API 3.0 endpoint (CVM DescribeInstances, CDB
 * DescribeDBInstances) that verifies TC3-HMAC-SHA256 signatures.
 *
 * How a provider reaches it: the SDK signs the first label of its endpoint as
 * the service, so the endpoint must stay `cvm.tencentcloudapi.com:PORT` (or
 * `cdb...`). A secret's `address` is this simulator's `http://127.0.0.1:PORT`;
 * the provider keeps the real service hostname with that port and gives the SDK
 * an http.Agent whose `lookup` resolves it to the address's host. This server
 * then reads the service from the Host header and checks the signature with the
 * host stripped of its port, as the SDK signed it.
 */
export class TencentSimulator extends HttpSimulator {
  readonly vendor = 'tencent' as const;

  private constructor() {
    super('Tencent');
  }

  static start(): Promise<TencentSimulator> {
    return HttpSimulator.listen(new TencentSimulator());
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = this.faults.admit();
    await this.faults.delay();
    const requestId = randomUUID();
    try {
      const body = await readBody(req);
      if (req.method !== 'POST') throw new TencentFault('UnsupportedOperation', 'Only POST requests are simulated.');
      const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
      const service = hostname.split('.')[0];
      const account = this.authenticate(req, hostname, service, body);
      const api = APIS[`${service}/${header(req, 'x-tc-version')}/${header(req, 'x-tc-action')}`];
      if (!api) throw new TencentFault('InvalidAction', 'The requested action does not exist.');
      if (verdict === 'throttle') {
        throw new TencentFault('RequestLimitExceeded', 'Your requests exceed the frequency limit. Please reduce the frequency of calls.');
      }
      const region = header(req, 'x-tc-region');
      if (!region) throw new TencentFault('MissingParameter', 'The request is missing a required parameter `Region`.');
      const params = parseJson(body);
      const offset = intParam(params, 'Offset', 0, 0, Number.MAX_SAFE_INTEGER);
      const limit = intParam(params, 'Limit', api.limitDefault, 1, api.limitMax);

      const fault = this.faults.beforePage(Math.floor(offset / limit) + 1);
      if (fault?.kind === 'hang') return; // never answered; the server's close() drops the socket
      if (fault?.kind === 'malformed') return send(res, '{"Response": {"TotalCount": 12, "InstanceSet": [{"InstanceId": "ins-');
      if (fault?.kind === 'server-error') {
        throw new TencentFault('InternalError', 'An internal error has occurred. Retry your request, but if the problem persists, contact us.');
      }

      const ids = params.InstanceIds;
      if (ids !== undefined && (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))) {
        throw new TencentFault('InvalidParameterValue', 'The value of parameter `InstanceIds` is not valid.');
      }
      const listed = api.list(account, region);
      const all = ids ? listed.filter((item) => (ids as string[]).includes((item as { id: string }).id)) : listed;
      const padding = this.faults.padding(Math.floor(offset / limit) + 1);
      send(res, JSON.stringify({ Response: { ...api.render(all.slice(offset, offset + limit), all.length), RequestId: requestId } }) + padding);
    } catch (thrown) {
      const error = thrown instanceof TencentFault ? thrown : new TencentFault('InternalError', String(thrown));
      send(res, JSON.stringify({ Response: { Error: { Code: error.code, Message: error.message }, RequestId: requestId } }));
    }
  }

  private authenticate(req: IncomingMessage, hostname: string, service: string, body: Buffer): SimAccount {
    const auth = parseTc3Authorization(header(req, 'authorization'));
    if (!auth) throw new TencentFault('AuthFailure.InvalidAuthorization', 'The Authorization header is not valid.');
    const account = this.accounts.find(auth.secretId);
    if (!account) throw new TencentFault('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.');
    const timestamp = Number(header(req, 'x-tc-timestamp'));
    if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TIMESTAMP_WINDOW_S) {
      throw new TencentFault('AuthFailure.SignatureExpire', 'Signature expired. Timestamp and server time cannot differ by more than five minutes.');
    }
    const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
    const signature = tc3Signature({
      secretKey: account.apiSecret,
      timestamp,
      service,
      signedHeaders: auth.signedHeaders,
      headerValue: (name) => (name === 'host' ? hostname : (header(req, name) ?? '')),
      body,
    });
    if (auth.service !== service || auth.date !== date || !auth.signedHeaders.includes('host') || signature !== auth.signature) {
      throw new TencentFault('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.');
    }
    return account;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new TencentFault('InvalidParameter', 'The request body is not a JSON object.');
}

function intParam(params: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const value = params[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TencentFault('InvalidParameterValue', `The value of parameter \`${name}\` is not valid (allowed ${min}..${max}).`);
  }
  return value;
}

function send(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
