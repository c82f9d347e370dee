/** `LTAI****7xQz`: enough to recognise a key, not enough to use it. */
export function maskApiKey(apiKey: string): string {
  if (apiKey.length >= 12) return `${apiKey.slice(0, 4)}****${apiKey.slice(-4)}`;
  if (apiKey.length >= 6) return `${apiKey.slice(0, 2)}****${apiKey.slice(-2)}`;
  return '****';
}
