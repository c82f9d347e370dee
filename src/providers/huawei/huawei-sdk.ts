/**
 * The one door to the Huawei SDK. Importing anything Huawei through here
 * silences the SDK's log4js logger before any call: on an error it logs the whole
 * request, signed Authorization header included, to stdout.
 */
import { DefaultHttpClient } from '@huaweicloud/huaweicloud-sdk-core/http/DefaultHttpClient';
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger';

Logger4jInstance.level = 'off';

// The SDK serialises every response body again only to log its length, even
// with logging off: a tenth of the CPU of listing 1000-server pages. Nothing
// of it is logged here, so the response log is not built at all.
(DefaultHttpClient.prototype as unknown as { buildResLog(response: unknown): void }).buildResLog = () => undefined;

export { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
export { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
export type { HcClient, HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
export { ServiceResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServiceResponseException';
export { EcsClient } from '@huaweicloud/huaweicloud-sdk-ecs/v2/EcsClient';
export { ListServersDetailsRequest } from '@huaweicloud/huaweicloud-sdk-ecs/v2/model/ListServersDetailsRequest';
