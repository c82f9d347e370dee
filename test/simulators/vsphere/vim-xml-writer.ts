/**
 * How a vCenter writes its answers: the envelope, faults, and property values
 * with their `xsi:type` (xsd scalars, enums, `ArrayOf...` wrappers,
 * ManagedObjectReference with its `type` attribute).
 */

export function esc(value: string | number | boolean): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function envelope(content: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"\n' +
    ' xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"\n' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"\n' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    `<soapenv:Body>\n${content}\n</soapenv:Body>\n</soapenv:Envelope>`
  );
}

/** `returnval` is the content of `<returnval>`, or a whole `<returnval ...>` element when it needs attributes. */
export const response = (method: string, returnval: string | null) => {
  const element = returnval === null || returnval.startsWith('<returnval') ? (returnval ?? '') : `<returnval>${returnval}</returnval>`;
  return envelope(`<${method}Response xmlns="urn:vim25">${element}</${method}Response>`);
};

/** A vim25 fault as vCenter sends it: `ServerFaultCode`, the text, and the typed detail. */
export function fault(type: string, message: string, detail = ''): string {
  return envelope(
    '<soapenv:Fault><faultcode>ServerFaultCode</faultcode>' +
      `<faultstring>${esc(message)}</faultstring>` +
      `<detail><${type}Fault xmlns="urn:vim25" xsi:type="${type}">${detail}</${type}Fault></detail>` +
      '</soapenv:Fault>',
  );
}

export const moRef = (tag: string, type: string, value: string) => `<${tag} type="${esc(type)}">${esc(value)}</${tag}>`;

/** A property value: `<val xsi:type="...">`. */
export const val = {
  string: (text: string) => `<val xsi:type="xsd:string">${esc(text)}</val>`,
  dateTime: (iso: string) => `<val xsi:type="xsd:dateTime">${esc(iso)}</val>`,
  enumValue: (type: string, text: string) => `<val xsi:type="${type}">${esc(text)}</val>`,
  moRef: (type: string, value: string) => `<val type="${esc(type)}" xsi:type="ManagedObjectReference">${esc(value)}</val>`,
  /** `items` are complete `<Type xsi:type="Type">...</Type>` elements. */
  arrayOf: (type: string, items: string[]) => `<val xsi:type="ArrayOf${type}">${items.join('')}</val>`,
  complex: (type: string, fields: string) => `<val xsi:type="${type}">${fields}</val>`,
};

/** Plain fields of a complex value, in schema order: no xsi:type, as vCenter writes them. */
export function fields(entries: [string, string | number | boolean | null | undefined][]): string {
  let text = '';
  for (const [name, value] of entries) if (value !== null && value !== undefined) text += `<${name}>${esc(value)}</${name}>`;
  return text;
}

export const propSet = (name: string, value: string) => `<propSet><name>${esc(name)}</name>${value}</propSet>`;
