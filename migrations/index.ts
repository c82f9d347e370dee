import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';
import { InventoryIndexes1763900000000 } from './1763900000000-InventoryIndexes';
import { ApiTokensAndAudit1763900000001 } from './1763900000001-ApiTokensAndAudit';
import { SyncSchedules1763900000002 } from './1763900000002-SyncSchedules';
import { StoredResourceViews1764000000000 } from './1764000000000-StoredResourceViews';
import { RawPayloadAsJson1764000000001 } from './1764000000001-RawPayloadAsJson';
import { TagTerms1764000000002 } from './1764000000002-TagTerms';
import { NameOrderCoversTagFilters1764000000003 } from './1764000000003-NameOrderCoversTagFilters';
import { ChangeOrigin1764100000000 } from './1764100000000-ChangeOrigin';
import { SyncJobHeartbeats1764100000100 } from './1764100000100-SyncJobHeartbeats';
import { ListedInstances1764100000101 } from './1764100000101-ListedInstances';
import { ChangeFeed1764100000300 } from './1764100000300-ChangeFeed';
import { ResourceTombstones1764100000400 } from './1764100000400-ResourceTombstones';
import { EventInbox1764100000401 } from './1764100000401-EventInbox';
import { SecretWatch1764100000500 } from './1764100000500-SecretWatch';
import { PublishCursors1764100000600 } from './1764100000600-PublishCursors';
import { EventBridgeSigningCerts1764200100000 } from './1764200100000-EventBridgeSigningCerts';
import { RetentionIndexes1764200100001 } from './1764200100001-RetentionIndexes';

/** Every migration, oldest first: listed here so the same list works from ts and from dist. */
export const MIGRATIONS = [InitialSchema1763800000000, InventoryIndexes1763900000000, ApiTokensAndAudit1763900000001, SyncSchedules1763900000002, StoredResourceViews1764000000000, RawPayloadAsJson1764000000001, TagTerms1764000000002, NameOrderCoversTagFilters1764000000003, ChangeOrigin1764100000000, SyncJobHeartbeats1764100000100, ListedInstances1764100000101, ChangeFeed1764100000300, ResourceTombstones1764100000400, EventInbox1764100000401, SecretWatch1764100000500, PublishCursors1764100000600, EventBridgeSigningCerts1764200100000, RetentionIndexes1764200100001];
