import { fieldError } from '../common/validation';
import type { Vendor } from '../providers/provider';
import type { CredentialType } from './secret.entity';
import { scheduleProblem } from './sync-schedule';

/** The shape of a secret after a create or an update, before it is stored. */
export interface SecretShape {
  vendor: Vendor;
  credentialType?: CredentialType;
  allowRegions: string[];
  address: string | null;
  projectIds: Record<string, string> | null;
  tlsCa: string | null;
  tlsInsecure: boolean;
  syncSchedule: string | null;
  syncTimezone: string | null;
  watch: boolean;
  smnTopicUrns?: string[];
  smnSigningCerts?: string | null;
  eventbridgeSigningCerts?: string | null;
  deltaSync?: boolean;
}

const HOST_PORT = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** Rules that depend on the vendor; each broken rule is a 400 naming its field. */
export function checkVendorRules(shape: SecretShape): CredentialType {
  const isVsphere = shape.vendor === 'vsphere';
  const expectedType: CredentialType = isVsphere ? 'password' : 'api_key';
  if (shape.credentialType && shape.credentialType !== expectedType) {
    throw fieldError('credential_type', `credential_type must be ${expectedType} for ${shape.vendor}`);
  }
  if (isVsphere) {
    if (shape.allowRegions.length > 0) throw fieldError('allow_regions', 'allow_regions must be empty for vsphere: a vCenter has no regions');
    if (!shape.address) throw fieldError('address', 'address is required for vsphere (host or host:port)');
    if (!HOST_PORT.test(shape.address)) throw fieldError('address', 'address must be host or host:port for vsphere');
    if (shape.tlsCa && shape.tlsInsecure) throw fieldError('tls', 'tls takes either a ca bundle or insecure: true, not both');
  } else {
    if (shape.allowRegions.length === 0) {
      throw fieldError('allow_regions', `allow_regions needs at least one region (or *) for ${shape.vendor}`);
    }
    if (shape.address && !/^https?:\/\/[^\s]+$/.test(shape.address)) {
      throw fieldError('address', 'address must be an http:// or https:// endpoint override for a cloud vendor');
    }
    if (shape.tlsCa || shape.tlsInsecure) throw fieldError('tls', 'tls options apply to vsphere secrets only');
    if (shape.watch) throw fieldError('watch', `watch applies to vsphere secrets only: ${shape.vendor} has no change feed to follow`);
  }
  if (shape.vendor !== 'huawei' && ((shape.smnTopicUrns?.length ?? 0) > 0 || shape.smnSigningCerts)) {
    throw fieldError(shape.smnSigningCerts ? 'smn_signing_certs' : 'smn_topic_urns', 'SMN settings apply to huawei secrets only');
  }
  if (shape.vendor !== 'aliyun' && shape.eventbridgeSigningCerts) {
    throw fieldError('eventbridge_signing_certs', 'eventbridge_signing_certs apply to aliyun secrets only');
  }
  if (isVsphere && shape.deltaSync) throw fieldError('delta_sync', 'vsphere follows its own change feed: delta_sync applies to clouds');
  if (shape.projectIds) {
    if (shape.vendor !== 'huawei') throw fieldError('project_ids', 'project_ids apply to huawei secrets only');
    for (const [region, projectId] of Object.entries(shape.projectIds)) {
      if (typeof projectId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(projectId)) {
        throw fieldError(`project_ids.${region}`, `project_ids.${region} must be a project id string`);
      }
    }
  }
  if (shape.syncSchedule !== null || shape.syncTimezone !== null) {
    const problem = scheduleProblem(shape.syncSchedule ?? '@hourly', shape.syncTimezone);
    if (problem) throw fieldError(problem.startsWith('sync_timezone') ? 'sync_timezone' : 'sync_schedule', problem);
  }
  return expectedType;
}
