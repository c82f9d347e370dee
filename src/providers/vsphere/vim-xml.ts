import { XMLParser } from 'fast-xml-parser';
import type { MoRef } from './vim-envelopes';

/**
 * Reading vim25 answers. The parser keeps every value as text; `decodeValue`
 * then types it from the `xsi:type` the server writes on property values
 * (`xsd:int`, `ArrayOfGuestNicInfo`, `ManagedObjectReference`), which is how
 * govmomi and pyvmomi read them too, without a WSDL. Fields nested in a complex
 * value carry no xsi:type and stay text: mappers read them with the shared
 * number and boolean readers.
 */

/** A parsed element: text, or an object of attributes (`@name`), `#text` and children. */
export type XmlNode = string | { [key: string]: XmlNode | XmlNode[] };

export type VimValue = string | number | boolean | MoRef | VimValue[] | { [field: string]: VimValue };

export interface SoapFault {
  /** The vim25 fault type (`InvalidLogin`, `NotAuthenticated`, `SystemError`), or `ServerFault` when none is named. */
  type: string;
  message: string;
}

export type SoapReply = { kind: 'result'; returnval: XmlNode | XmlNode[] | undefined } | { kind: 'fault'; fault: SoapFault };

const XSI_TYPE = '@xsiType';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: false,
  jPath: false, // no path strings built per tag: a quarter of the parse time on a page of VMs
  // soapenv:Body -> Body; xsi:type -> @xsiType (kept apart from a MoRef's own `type`)
  transformTagName: (name: string) => name.slice(name.indexOf(':') + 1),
  transformAttributeName: (name: string) => (name.endsWith(':type') ? XSI_TYPE : name),
});

export class MalformedSoapError extends Error {
  constructor(reason: string) {
    super(`the vCenter answer is not a SOAP envelope: ${reason}`);
    this.name = 'MalformedSoapError';
  }
}

const isObject = (node: unknown): node is { [key: string]: XmlNode | XmlNode[] } =>
  typeof node === 'object' && node !== null && !Array.isArray(node);

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The text of a leaf element, whether or not it carries attributes. */
export function textOf(node: XmlNode | XmlNode[] | undefined): string {
  if (typeof node === 'string') return node;
  if (isObject(node) && typeof node['#text'] === 'string') return node['#text'];
  return '';
}

export function moRefOf(node: XmlNode | XmlNode[] | undefined): MoRef | null {
  if (!isObject(node) || typeof node['@type'] !== 'string') return null;
  return { type: node['@type'], value: textOf(node) };
}

/** Splits a vim25 answer into the method's `returnval` or its fault. */
export function parseSoapReply(body: string, method: string): SoapReply {
  let document: unknown;
  try {
    document = parser.parse(body);
  } catch (error) {
    throw new MalformedSoapError(error instanceof Error ? error.message : 'unreadable XML');
  }
  const soapBody = isObject(document) && isObject(document.Envelope) ? document.Envelope.Body : undefined;
  if (!isObject(soapBody)) throw new MalformedSoapError('no soapenv:Body');
  if (isObject(soapBody.Fault)) return { kind: 'fault', fault: readFault(soapBody.Fault) };
  const response = soapBody[`${method}Response`];
  if (response === undefined) throw new MalformedSoapError(`no ${method}Response`);
  return { kind: 'result', returnval: isObject(response) ? response.returnval : undefined };
}

function readFault(fault: { [key: string]: XmlNode | XmlNode[] }): SoapFault {
  const message = textOf(fault.faultstring).trim() || 'vCenter answered a SOAP fault';
  const detail = fault.detail;
  if (isObject(detail)) {
    for (const [tag, child] of Object.entries(detail)) {
      if (tag.startsWith('@') || tag === '#text') continue;
      const first = asArray(child)[0];
      const declared = isObject(first) && typeof first[XSI_TYPE] === 'string' ? first[XSI_TYPE] : null;
      return { type: (declared ?? tag.replace(/Fault$/, '')).replace(/^[^:]*:/, ''), message };
    }
  }
  return { type: 'ServerFault', message };
}

const NUMERIC_TYPES = new Set(['xsd:int', 'xsd:long', 'xsd:short', 'xsd:byte', 'xsd:float', 'xsd:double']);

/** A property value, typed from its xsi:type (see the file comment). */
export function decodeValue(node: XmlNode | XmlNode[]): VimValue {
  if (Array.isArray(node)) return node.map(decodeValue);
  if (typeof node === 'string') return node;
  const xsiType = typeof node[XSI_TYPE] === 'string' ? node[XSI_TYPE] : null;
  const children = Object.entries(node).filter(([key]) => key[0] !== '@' && key !== '#text');
  if (xsiType?.startsWith('ArrayOf')) return children.flatMap(([, child]) => asArray(child).map(decodeValue));
  if (children.length === 0) {
    const text = textOf(node);
    if (typeof node['@type'] === 'string') return { type: node['@type'], value: text };
    if (xsiType === 'xsd:boolean') return text === 'true' || text === '1';
    if (xsiType && NUMERIC_TYPES.has(xsiType)) return Number(text);
    return text;
  }
  const value: { [field: string]: VimValue } = {};
  for (const [key, child] of children) value[key] = decodeValue(child);
  return value;
}
