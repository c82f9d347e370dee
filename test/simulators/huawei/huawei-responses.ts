import type { ServerResponse } from 'node:http';

/**
 * Huawei's error bodies. API Gateway answers `{error_code, error_msg}` before
 * the service sees the request; ECS answers `{error: {code, message}}`; RDS
 * answers `{error_code, error_msg}` with DBS codes. Codes marked UNVERIFIED
 * were chosen for the simulator, not seen on the wire.
 */

export interface HuaweiError {
  status: number;
  body: Record<string, unknown>;
}

const gateway = (status: number, code: string, message: string): HuaweiError => ({
  status,
  body: { error_code: code, error_msg: message },
});

export const ERRORS = {
  /** The AK is unknown, the signature is wrong, or X-Sdk-Date is missing. */
  badSignature: gateway(401, 'APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail'),
  unknownKey: gateway(401, 'APIGW.0301', 'Incorrect IAM authentication information: Get secretKey failed, err:ak not exist'),
  /** For AK/SK (IAM) authentication an expired X-Sdk-Date is still 0301; APIGW.0303 is the APP-authentication code. */
  expired: gateway(401, 'APIGW.0301', 'Incorrect IAM authentication information: calc ak sk signature fail:signature expired'),
  throttled: gateway(429, 'APIGW.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 second'),
  /** UNVERIFIED: a project id of another account. */
  foreignProject: gateway(403, 'APIGW.0302', 'The IAM user is not authorized to access the API.'),
  notFound: gateway(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment'),
  ecsInvalidParameter: (message: string): HuaweiError => ({ status: 400, body: { error: { code: 'Ecs.0005', message } } }),
  ecsServerError: { status: 500, body: { error: { code: 'Ecs.0005', message: 'Internal system error.' } } } as HuaweiError,
  /** UNVERIFIED code. */
  rdsInvalidParameter: (message: string): HuaweiError => ({ status: 400, body: { error_code: 'DBS.200001', error_msg: message } }),
  /** UNVERIFIED code. */
  rdsServerError: { status: 500, body: { error_code: 'DBS.200047', error_msg: 'Internal system error.' } } as HuaweiError,
};

/** `padding` (whitespace) after the JSON makes an oversized but valid answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown, padding = ''): void {
  const text = JSON.stringify(body) + padding;
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HuaweiError): void {
  sendJson(res, error.status, error.body);
}

/** A gateway hiccup: a 200 whose body is not JSON. */
export function sendMalformed(res: ServerResponse): void {
  const text = '<html><body>502 Bad Gateway</body></html';
  res.writeHead(200, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
