import { api, Query } from '../api/client';
import type { ResourceListPage } from '../api/types';

const PAGE = 500;
export const EXPORT_LIMIT = 100_000;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(' ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Quoted, and a leading formula character defused: a spreadsheet must not run a resource's name.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Every resource the current filter matches (keyset pages of 500), as CSV text. */
export async function exportCsv(path: string, query: Query, onProgress: (rows: number) => void): Promise<string> {
  // By column name: the CSV holds every column the rows have.
  const rows: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<ResourceListPage>(path, { query: { ...query, cursor, limit: PAGE } });
    rows.push(...page.items);
    onProgress(rows.length);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && rows.length < EXPORT_LIMIT);
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\r\n') + '\r\n';
}

export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
