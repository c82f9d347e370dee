import { moRef } from './vim-xml-writer';

/** A vim25 fault: answered as a SOAP fault with its type, message, detail and HTTP status. */
export class VimFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly detail = '',
    readonly status = 500,
  ) {
    super(message);
  }
}

export const notFound = (type: string, value: string) =>
  new VimFault('ManagedObjectNotFound', `The object '${type}:${value}' has already been deleted or has not been completely created`, moRef('obj', type, value));
