import { fetchEventSource } from '@microsoft/fetch-event-source';
import { Badge, Button, Group } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { authHeaders } from '../api/client';

/**
 * The change feed: `GET /watch`, Server-Sent Events of ADDED, MODIFIED, DELETED,
 * BOOKMARK and ERROR with `id: <revision>` and data `{type, revision, kind,
 * object, changed_fields}`. EventSource cannot send the Authorization header
 * (and the token never goes in a URL), hence a fetch-based client. A server
 * without the feed answers 404: the console then refreshes on demand.
 */
export type LiveStatus = 'connecting' | 'live' | 'unavailable' | 'reconnecting';

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  revision?: number | string;
  kind?: string;
}

interface Live {
  status: LiveStatus;
  lastRevision: string | null;
  /** Refetches every inventory answer: the button shown when there is no feed. */
  refresh(): void;
}

const LiveContext = createContext<Live>({ status: 'unavailable', lastRevision: null, refresh: () => undefined });
class FeedUnavailable extends Error {}

/** Query keys an inventory change makes stale. */
function staleKeys(kind: string | undefined): string[][] {
  const lists = kind === 'host' || kind === 'hosts' ? [['hosts']] : kind === 'rds' || kind === 'database' || kind === 'databases' ? [['databases']] : [['hosts'], ['databases']];
  return [...lists, ['stats']];
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [lastRevision, setLastRevision] = useState<string | null>(null);
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refresh = useCallback(() => {
    for (const key of ['hosts', 'databases', 'stats', 'sync-jobs']) void queries.invalidateQueries({ queryKey: [key] });
  }, [queries]);

  useEffect(() => {
    const abort = new AbortController();
    // A burst of changes (a sync writes a thousand rows at once) refetches once.
    const invalidateSoon = (kind: string | undefined) => {
      for (const key of staleKeys(kind)) pending.current.add(key[0]);
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        for (const key of pending.current) void queries.invalidateQueries({ queryKey: [key] });
        pending.current.clear();
      }, 500);
    };
    void fetchEventSource('/watch', {
      headers: authHeaders(),
      signal: abort.signal,
      openWhenHidden: true,
      async onopen(response) {
        if (response.status === 404) throw new FeedUnavailable();
        if (!response.ok || !response.headers.get('content-type')?.includes('text/event-stream')) throw new Error(`watch answered ${response.status}`);
        setStatus('live');
      },
      onmessage(message) {
        if (message.id) setLastRevision(message.id);
        if (!message.data) return;
        const event = JSON.parse(message.data) as WatchEvent;
        if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') invalidateSoon(event.kind);
        // ERROR (e.g. 410: the revision is older than the kept history): refetch everything, the stream resumes from now.
        if (event.type === 'ERROR') refresh();
      },
      onerror(error) {
        if (error instanceof FeedUnavailable) {
          setStatus('unavailable');
          throw error; // no retry: there is no feed on this server
        }
        setStatus('reconnecting');
        return 5000;
      },
    }).catch(() => undefined);
    return () => {
      abort.abort();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [queries, refresh]);

  return <LiveContext.Provider value={{ status, lastRevision, refresh }}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  return useContext(LiveContext);
}

const LABELS: Record<LiveStatus, { text: string; color: string }> = {
  live: { text: 'Live', color: 'green' },
  connecting: { text: 'Connecting…', color: 'gray' },
  reconnecting: { text: 'Reconnecting…', color: 'yellow' },
  unavailable: { text: 'Not live', color: 'gray' },
};

/** Whether lists update by themselves; without the feed, a refresh button instead. */
export function LiveIndicator() {
  const { status, lastRevision, refresh } = useLive();
  const label = LABELS[status];
  return (
    <Group gap="xs" wrap="nowrap">
      <Badge color={label.color} variant="dot" aria-live="polite" title={lastRevision ? `revision ${lastRevision}` : undefined} data-testid="live-status">
        {label.text}
      </Badge>
      {status !== 'live' && (
        <Button size="compact-xs" variant="default" onClick={refresh}>
          Refresh
        </Button>
      )}
    </Group>
  );
}
