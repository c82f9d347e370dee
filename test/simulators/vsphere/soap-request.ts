import { XMLParser } from 'fast-xml-parser';

/** A parsed request element: text, or attributes (`@type`, `@xsiType`), `#text` and children. */
export type Node = string | { [key: string]: Node | Node[] };

export interface SoapRequest {
  method: string;
  args: { [key: string]: Node | Node[] };
}

const parser = new XMLParser({
  ignoreAttributes: (name: string) => name.startsWith('xmlns'),
  attributeNamePrefix: '@',
  parseTagValue: false,
  transformTagName: (name: string) => name.replace(/^[^:]*:/, ''),
  transformAttributeName: (name: string) => (/^@?[^:]+:type$/.test(name) ? '@xsiType' : name),
});

const isObject = (node: unknown): node is { [key: string]: Node | Node[] } =>
  typeof node === 'object' && node !== null && !Array.isArray(node);

/** The method and arguments of a SOAP request, or null when the body is not one. */
export function parseSoapRequest(body: string): SoapRequest | null {
  let document: unknown;
  try {
    document = parser.parse(body);
  } catch {
    return null;
  }
  const soapBody = isObject(document) && isObject(document.Envelope) ? document.Envelope.Body : undefined;
  if (!isObject(soapBody)) return null;
  const method = Object.keys(soapBody).find((key) => !key.startsWith('@') && key !== '#text');
  if (!method) return null;
  const args = soapBody[method];
  return { method, args: isObject(args) ? args : {} };
}

export const list = (node: Node | Node[] | undefined): Node[] => (node === undefined ? [] : Array.isArray(node) ? node : [node]);

export const text = (node: Node | Node[] | undefined): string => {
  const first = list(node)[0];
  if (typeof first === 'string') return first;
  return isObject(first) && typeof first['#text'] === 'string' ? first['#text'] : '';
};

export const attribute = (node: Node | Node[] | undefined, name: string): string | null => {
  const first = list(node)[0];
  return isObject(first) && typeof first[`@${name}`] === 'string' ? (first[`@${name}`] as string) : null;
};

export const child = (node: Node | Node[] | undefined, name: string): Node | Node[] | undefined => {
  const first = list(node)[0];
  return isObject(first) ? first[name] : undefined;
};
