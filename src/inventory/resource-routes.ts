import { applyDecorators } from '@nestjs/common';
import type { Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { ApiErrors } from '../common/error-body';
import { JsonText } from '../common/json-text';

const ID_PARAM = ApiParam({ name: 'id', description: 'Our id (uuid), or `vendor:instance_id`, e.g. `aliyun:i-bp1abc`' });

/** OpenAPI of a kind's list route. */
export const ListRoute = (noun: string, page: Type<unknown>) =>
  applyDecorators(
    JsonText(),
    ApiOperation({
      summary: `List ${noun}s: filter, search, sort, page`,
      description:
        `Keyset pagination: pass \`next_cursor\` back as \`cursor\` (with the same sort) for the next page; it is null on the last. ` +
        `Pages stay exact while syncs write: a row is never answered twice nor skipped because others were added. ` +
        `\`resource_version\`: the change log revision the page is consistent with (every change up to it reflected, none after); ` +
        `walk the pages, then GET /watch?resource_version=<the first page's> to follow every change after it. ` +
        `Each item holds every normalised column, \`state\`, \`deleted_at\`, \`first_seen_at\`, \`last_changed_at\` and \`query_at\`; ` +
        `\`raw\` only on GET by id. Every bad parameter is a 400 naming it.`,
    }),
    ApiOkResponse({ type: page }),
    ApiErrors([400]),
  );

/** OpenAPI of a kind's get-one route. */
export const GetRoute = (noun: string, detail: Type<unknown>) =>
  applyDecorators(
    JsonText(),
    ID_PARAM,
    ApiOperation({ summary: `One ${noun}, with its raw vendor payload` }),
    ApiOkResponse({ type: detail }),
    ApiErrors([404], { 404: `No such ${noun}` }),
  );

/** OpenAPI of a kind's history route. */
export const HistoryRoute = (noun: string, page: Type<unknown>) =>
  applyDecorators(
    ID_PARAM,
    ApiOperation({
      summary: `The ${noun}'s changes, newest first`,
      description: 'Each change: its revision (global order), change_type (created, updated, deleted), changed_at, job_id, and changed_fields (old and new value of each changed column; null on creation).',
    }),
    ApiOkResponse({ type: page }),
    ApiErrors([400, 404], { 404: `No such ${noun}` }),
  );
