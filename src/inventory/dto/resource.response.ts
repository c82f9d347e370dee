import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { declareProperties, PageOf, ResponseSchema } from '../../common/response-schema';
import { VENDORS } from '../../providers/provider';
import { ColumnType, RESOURCE_KINDS, ResourceColumn, ResourceKind } from '../resource-columns';

/**
 * The schemas of a host and a database as the API answers them. The answer is
 * built by PostgreSQL (the `api_view` column, resource-view.ts), so there is
 * no TypeScript object to check against a class: the kind's properties are
 * made from its column list instead (resource-columns.ts), between the
 * identity and the bookkeeping that every resource has. A column added there
 * appears here; the schema conformance test checks both against real answers.
 */
const IDENTITY: [string, ApiPropertyOptions][] = [
  ['id', { type: String, format: 'uuid', description: 'Our id' }],
  ['vendor', { enum: VENDORS }],
  ['secret_id', { type: String, format: 'uuid', nullable: true, description: 'The secret that synced it; null once that secret is deleted' }],
  ['instance_id', { type: String, description: 'The vendor\'s id: unique with the vendor' }],
];

const BOOKKEEPING: [string, ApiPropertyOptions][] = [
  ['state', { enum: ['active', 'deleted'] }],
  ['deleted_at', { type: String, format: 'date-time', nullable: true }],
  ['first_seen_at', { type: String, format: 'date-time' }],
  ['last_changed_at', { type: String, format: 'date-time' }],
  ['query_at', { type: String, format: 'date-time', description: 'When the vendor was asked for what is stored' }],
];

const COLUMN_SCHEMA: Record<ColumnType, ApiPropertyOptions> = {
  text: { type: String },
  int: { type: 'integer' },
  timestamptz: { type: String, format: 'date-time' },
  'text[]': { type: [String] },
  // The one jsonb column is tags: string values by key.
  jsonb: { type: 'object', additionalProperties: { type: 'string' } },
};

function columnProperty(column: ResourceColumn): [string, ApiPropertyOptions] {
  const schema = column.values ? { enum: [...column.values] } : COLUMN_SCHEMA[column.type];
  return [column.name, { ...schema, ...(column.nullable ? { nullable: true } : {}) } as ApiPropertyOptions];
}

function resourceSchema(kind: ResourceKind, name: string): Type<object> {
  const View = class {};
  Object.defineProperty(View, 'name', { value: name });
  declareProperties(View, [...IDENTITY, ...kind.columns.map(columnProperty), ...BOOKKEEPING]);
  ResponseSchema({ name, description: `A ${kind.type === 'host' ? 'host' : 'database'} as listed: every normalised column and its bookkeeping` })(View);
  return View;
}

export const HostView = resourceSchema(RESOURCE_KINDS.host, 'HostView');
export const DatabaseView = resourceSchema(RESOURCE_KINDS.rds, 'DatabaseView');

const RAW: ApiPropertyOptions = { type: 'object', additionalProperties: true, description: 'The vendor\'s item as received (credentials never included)' };

/** GET /hosts/:id: the listed view and the raw vendor payload. */
@ResponseSchema()
export class HostDetail extends HostView {
  @ApiProperty(RAW)
  raw: Record<string, unknown>;
}

/** GET /databases/:id: the listed view and the raw vendor payload. */
@ResponseSchema()
export class DatabaseDetail extends DatabaseView {
  @ApiProperty(RAW)
  raw: Record<string, unknown>;
}

const LISTING: Record<string, ApiPropertyOptions> = {
  resource_version: {
    type: 'integer',
    description: 'The change log revision the page is consistent with: GET /watch?resource_version=<it> follows every change after it',
  },
  total: { type: 'integer', required: false, description: 'With count=true: how many match the filters' },
};

export const HostPage = PageOf(HostView, 'HostPage', LISTING);
export const DatabasePage = PageOf(DatabaseView, 'DatabasePage', LISTING);
