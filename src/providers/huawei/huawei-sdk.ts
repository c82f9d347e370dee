/**
 * The one door to the Huawei SDK. Importing anything Huawei through here
 * silences the SDK's log4js logger before any call: on an error it logs the whole
 * request, signed Authorization header included, to stdout.
 */
import { Logger4jInstance } from '@huaweicloud/huaweicloud-sdk-core/logger/log4jLogger';

Logger4jInstance.level = 'off';

export { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials';
export { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder';
export type { HcClient, HttpRequestOptions } from '@huaweicloud/huaweicloud-sdk-core/HcClient';
export { ServiceResponseException } from '@huaweicloud/huaweicloud-sdk-core/exception/ServiceResponseException';
export { EcsClient } from '@huaweicloud/huaweicloud-sdk-ecs/v2/EcsClient';
export { ListServersDetailsRequest } from '@huaweicloud/huaweicloud-sdk-ecs/v2/model/ListServersDetailsRequest';
