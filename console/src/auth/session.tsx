import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, ReactNode, useContext, useEffect, useSyncExternalStore } from 'react';
import { api } from '../api/client';
import type { Role, Whoami } from '../api/types';
import { currentToken, onTokenChange, signOutEverywhere } from './token-store';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Session {
  whoami: Whoami;
  /** True when the token holds at least that role: what the console shows follows it. */
  can(role: Role): boolean;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export function useToken(): string | null {
  return useSyncExternalStore(onTokenChange, currentToken);
}

/** Who the token is, asked of the server once per token. */
export function useWhoami(token: string | null) {
  return useQuery({
    queryKey: ['whoami', token],
    queryFn: () => api<Whoami>('/whoami', { token: token! }),
    enabled: token !== null,
    retry: false,
    staleTime: Infinity,
  });
}

export function SessionProvider({ whoami, children }: { whoami: Whoami; children: ReactNode }) {
  const queries = useQueryClient();
  // Signing out forgets every answer the previous token was given.
  useEffect(() => onTokenChange(() => queries.clear()), [queries]);
  const session: Session = {
    whoami,
    can: (role) => RANK[whoami.role] >= RANK[role],
    signOut: signOutEverywhere,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
