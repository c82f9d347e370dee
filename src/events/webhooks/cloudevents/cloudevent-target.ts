import type { CloudEvent } from 'cloudevents';
import type { ResourceType, Vendor } from '../../../providers/provider';
import type { NewInboxEvent } from '../../inbox/inbox-event';

/** The first part of `type` (`ecs:Instance:StateChange`, `cvm:CloudEvent:ApiCall`) names the product. */
const PRODUCT_TYPES: Record<string, ResourceType> = { ecs: 'host', cvm: 'host', rds: 'rds', cdb: 'rds' };
/** Cloud Config items name theirs in `data.resourceType` (`ACS::ECS::Instance`). */
const CONFIG_TYPES: [RegExp, ResourceType][] = [
  [/::ECS::Instance$/i, 'host'],
  [/::RDS::DBInstance$/i, 'rds'],
];

type Data = Record<string, unknown>;

/**
 * An event as the inbox stores it. Every ECS/CVM and RDS/CDB event is a hint:
 * the worker re-reads that one resource. An event naming no resource we track
 * is stored `ignored`.
 */
export function inboxEventOf(secretId: string, vendor: Vendor, event: CloudEvent<unknown>): NewInboxEvent {
  const data: Data = event.data && typeof event.data === 'object' && !ArrayBuffer.isView(event.data) ? (event.data as Data) : {};
  const resourceType = resourceTypeOf(event.type, data);
  const instanceId = resourceType ? instanceIdOf(event, data) : null;
  const region = resourceType ? regionOf(event, data) : null;
  const tracked = Boolean(resourceType && instanceId && region);
  return {
    secretId,
    vendor,
    channel: 'cloudevents',
    messageKey: `${event.source}#${event.id}`,
    eventType: event.type,
    resourceType: tracked ? resourceType : null,
    region: tracked ? region : null,
    instanceId: tracked ? instanceId : null,
    action: tracked ? 'reread' : null,
    observedAt: null,
    payload: JSON.parse(JSON.stringify(event.toJSON())) as Record<string, unknown>,
  };
}

function resourceTypeOf(type: string, data: Data): ResourceType | null {
  const product = type.split(':')[0].toLowerCase();
  if (product in PRODUCT_TYPES) return PRODUCT_TYPES[product];
  const configured = text(data.resourceType);
  if (configured) for (const [pattern, resourceType] of CONFIG_TYPES) if (pattern.test(configured)) return resourceType;
  return null;
}

/** `data.resourceId` / `instanceId` (Aliyun, Tencent), else the subject's last segment (`.../instance/i-xxx`). */
function instanceIdOf(event: CloudEvent<unknown>, data: Data): string | null {
  const named = text(data.resourceId) ?? text(data.instanceId) ?? text(data.InstanceId) ?? text(data.dbInstanceId);
  if (named) return named;
  const subject = event.subject ?? '';
  const last = subject.split('/').pop() ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(last) ? last : null;
}

/** Aliyun's `aliyunregionid` extension, Tencent's `region`, the data's region, or the subject's (`acs:ecs:<region>:...`). */
function regionOf(event: CloudEvent<unknown>, data: Data): string | null {
  const extensions = event as unknown as Record<string, unknown>;
  const named = text(extensions.aliyunregionid) ?? text(extensions.region) ?? text(data.regionId) ?? text(data.region) ?? text(data.Region);
  if (named) return named;
  const fromSubject = /^(?:acs|qcs):+[a-z]+:([a-z0-9-]+):/.exec(event.subject ?? '')?.[1];
  return fromSubject ?? null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : null;
}
