/**
 * The largest vendor answer a provider reads. A page of a thousand instances
 * is a few MB; a body near the server's heap (256 MB in production) would
 * take the process down, so a larger one fails the call instead.
 */
export const MAX_VENDOR_RESPONSE_BYTES = 32 * 1024 * 1024;
