import { randomUUID } from 'node:crypto';
import { esc, moRef } from './vim-xml-writer';

/**
 * An object a filter covers now: its MoRef, a fingerprint of everything its
 * properties are rendered from, and those properties as `<val>` elements
 * (unset ones absent), rendered only when the fingerprint moved: a wait looks
 * at the whole inventory every few ms, and rendering every VM each time made
 * the simulator, not the client, the slow part of a large vCenter's feed.
 */
export interface CollectedObject {
  id: string;
  fingerprint: string;
  props(): Map<string, string>;
}

interface Told {
  fingerprint: string;
  props: Map<string, string>;
}

export interface FilterSource {
  objectType: string;
  /** What the filter's view holds at this moment, rendered. */
  contents(): CollectedObject[];
}

interface SimFilter {
  source: FilterSource;
  /** What the client was last told, per object and path: the next answer is the difference. */
  told: Map<string, Told>;
}

export type CollectResult = { kind: 'invalid-version' } | { kind: 'nothing' } | { kind: 'updates'; returnval: string };

/**
 * One session's PropertyCollector, for CreateFilter, WaitForUpdatesEx and
 * DestroyPropertyFilter. Each filter remembers what it last reported; an
 * answer is the difference between that and the inventory now (enter,
 * modify with the changed paths, leave), which is what a vCenter reports too,
 * without the simulator having to log every mutation a test makes.
 *
 * Versions are opaque strings valid for this collector only: '' asks for
 * everything again, the current version for what changed since, any other
 * (an old one, another collector's, or any after `invalidate`) is refused as
 * InvalidCollectorVersion. `maxObjectUpdates` cuts an answer short with
 * `truncated` set; the rest comes with the next call at the new version.
 */
export class SimPropertyCollector {
  private readonly filters = new Map<string, SimFilter>();
  private generation = randomUUID().slice(0, 8);
  private counter = 0;

  constructor(private readonly sessionKey: string) {}

  createFilter(source: FilterSource): string {
    const id = `session[${this.sessionKey}]${randomUUID()}`;
    this.filters.set(id, { source, told: new Map() });
    return id;
  }

  destroyFilter(id: string): boolean {
    return this.filters.delete(id);
  }

  /** Every version handed out so far becomes invalid, as after a vCenter service restart. */
  invalidate(): void {
    this.generation = randomUUID().slice(0, 8);
  }

  get version(): string {
    return `${this.generation}_${this.counter}`;
  }

  collect(version: string, maxObjectUpdates: number): CollectResult {
    if (version === '') {
      for (const filter of this.filters.values()) filter.told.clear();
    } else if (version !== this.version) {
      return { kind: 'invalid-version' };
    }
    let budget = Math.max(1, maxObjectUpdates);
    let truncated = false;
    let filterSets = '';
    for (const [id, filter] of this.filters) {
      // One more than fits tells whether the answer is truncated, without rendering the rest of a large first answer at each call.
      const objects = this.differences(filter, budget + 1);
      if (objects.length > budget) truncated = true;
      const sent = objects.slice(0, budget);
      budget -= sent.length;
      if (sent.length > 0) filterSets += `<filterSet>${moRef('filter', 'PropertyFilter', id)}${sent.map((apply) => apply()).join('')}</filterSet>`;
    }
    if (filterSets === '' && version !== '') return { kind: 'nothing' };
    this.counter++;
    return { kind: 'updates', returnval: `<returnval><version>${esc(this.version)}</version>${filterSets}<truncated>${truncated}</truncated></returnval>` };
  }

  /** The filter's first `limit` updates, each a function that records it as told and renders its ObjectUpdate. */
  private differences(filter: SimFilter, limit: number): (() => string)[] {
    const updates: (() => string)[] = [];
    const type = filter.source.objectType;
    const now = new Map(filter.source.contents().map((object) => [object.id, object]));
    for (const [id, object] of now) {
      const before = filter.told.get(id);
      if (before?.fingerprint === object.fingerprint) continue;
      const props = object.props();
      const changes: string[] = [];
      for (const [path, value] of props) if (before?.props.get(path) !== value) changes.push(assign(path, value));
      if (before) for (const path of before.props.keys()) if (!props.has(path)) changes.push(assign(path, null));
      const told = { fingerprint: object.fingerprint, props };
      if (before && changes.length === 0) {
        filter.told.set(id, told); // changed in what the filter does not ask for
        continue;
      }
      const kind = before ? 'modify' : 'enter';
      updates.push(() => {
        filter.told.set(id, told);
        return `<objectSet><kind>${kind}</kind>${moRef('obj', type, id)}${changes.join('')}</objectSet>`;
      });
      if (updates.length >= limit) return updates;
    }
    for (const id of filter.told.keys()) {
      if (now.has(id)) continue;
      updates.push(() => {
        filter.told.delete(id);
        return `<objectSet><kind>leave</kind>${moRef('obj', type, id)}</objectSet>`;
      });
      if (updates.length >= limit) return updates;
    }
    return updates;
  }
}

/** A PropertyChange: `assign` with the new value, or without one when the property became unset. */
const assign = (path: string, value: string | null) => `<changeSet><name>${esc(path)}</name><op>assign</op>${value ?? ''}</changeSet>`;
