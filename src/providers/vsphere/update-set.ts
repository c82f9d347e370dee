import type { MoRef } from './vim-envelopes';
import { MalformedSoapError, asArray, decodeValue, moRefOf, textOf, type VimValue, type XmlNode } from './vim-xml';

/**
 * The answer of WaitForUpdatesEx: what changed, per filter, since the version
 * the caller held. The version is opaque: it is only ever sent back.
 */
export interface UpdateSet {
  version: string;
  /** More updates are ready: call again with `version` at once. */
  truncated: boolean;
  filterSet: FilterUpdate[];
}

export interface FilterUpdate {
  filter: MoRef;
  objectSet: ObjectUpdate[];
}

export type ObjectUpdateKind = 'enter' | 'modify' | 'leave';
export type PropertyChangeOp = 'add' | 'remove' | 'assign' | 'indirectRemove';

export interface ObjectUpdate {
  kind: ObjectUpdateKind;
  obj: MoRef;
  changeSet: PropertyChange[];
  /** Paths the server could not read for this object (a fault per path): unknown, not unset. */
  missingSet: string[];
}

export interface PropertyChange {
  name: string;
  op: PropertyChangeOp;
  /** Absent when the property became unset (or for remove). */
  val?: VimValue;
}

const KINDS = new Set<string>(['enter', 'modify', 'leave']);
const OPS = new Set<string>(['add', 'remove', 'assign', 'indirectRemove']);

const fieldsOf = (node: XmlNode | undefined, what: string) => {
  if (typeof node !== 'object' || node === null) throw new MalformedSoapError(`${what} without fields`);
  return node;
};

/** The returnval of WaitForUpdatesEx; null when the wait ended with nothing new (an answer without returnval). */
export function readUpdateSet(returnval: XmlNode | XmlNode[] | undefined): UpdateSet | null {
  const node = asArray(returnval)[0];
  if (node === undefined || node === '') return null;
  const set = fieldsOf(node, 'an UpdateSet');
  const version = textOf(set.version);
  if (version === '') throw new MalformedSoapError('an UpdateSet without version');
  return {
    version,
    truncated: textOf(set.truncated) === 'true',
    filterSet: asArray(set.filterSet).map(readFilterUpdate),
  };
}

function readFilterUpdate(entry: XmlNode): FilterUpdate {
  const fields = fieldsOf(entry, 'a PropertyFilterUpdate');
  const filter = moRefOf(fields.filter);
  if (!filter) throw new MalformedSoapError('a PropertyFilterUpdate without filter');
  return { filter, objectSet: asArray(fields.objectSet).map(readObjectUpdate) };
}

function readObjectUpdate(entry: XmlNode): ObjectUpdate {
  const fields = fieldsOf(entry, 'an ObjectUpdate');
  const kind = textOf(fields.kind);
  if (!KINDS.has(kind)) throw new MalformedSoapError(`an ObjectUpdate of kind "${kind}"`);
  const obj = moRefOf(fields.obj);
  if (!obj) throw new MalformedSoapError('an ObjectUpdate without obj');
  const changeSet = asArray(fields.changeSet).map((entry): PropertyChange => {
    const change = fieldsOf(entry, 'a PropertyChange');
    const op = textOf(change.op);
    if (!OPS.has(op)) throw new MalformedSoapError(`a PropertyChange with op "${op}"`);
    const name = textOf(change.name);
    return change.val === undefined ? { name, op: op as PropertyChangeOp } : { name, op: op as PropertyChangeOp, val: decodeValue(change.val) };
  });
  const missingSet = asArray(fields.missingSet).map((missing) => textOf(fieldsOf(missing, 'a MissingProperty').path));
  return { kind: kind as ObjectUpdateKind, obj, changeSet, missingSet };
}

/**
 * The properties of an object after an update, from the ones held before:
 * each change of a requested path replaces (assign), extends (add) or drops
 * (remove, indirectRemove, or a value that became unset) what was held, and a
 * missing path drops its value, since it is no longer known.
 */
export function applyObjectUpdate(held: Readonly<Record<string, VimValue>>, update: ObjectUpdate): Record<string, VimValue> {
  const props: Record<string, VimValue> = update.kind === 'enter' ? {} : { ...held };
  for (const change of update.changeSet) {
    if (change.op === 'assign' && change.val !== undefined) props[change.name] = change.val;
    else if (change.op === 'add' && change.val !== undefined) {
      const before = props[change.name];
      props[change.name] = [...(Array.isArray(before) ? before : before === undefined ? [] : [before]), ...(Array.isArray(change.val) ? change.val : [change.val])];
    } else delete props[change.name];
  }
  for (const path of update.missingSet) delete props[path];
  return props;
}
