import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SimPropertyCollector } from './property-collector';
import { ROOT_FOLDER, type SimDatacenter } from './vim-inventory';
import { VimFault } from './vim-fault';
import { fields, moRef } from './vim-xml-writer';

const SESSION_COOKIE = 'vmware_soap_session';

/** A ContainerView: the datacenter it is rooted at (null: the root folder) and the one type it holds. */
export interface SimView {
  container: SimDatacenter | null;
  type: string;
}

/** A RetrievePropertiesEx result set, fixed when it starts, served a page at a time. */
export interface Retrieval {
  objectType: string;
  ids: string[];
  paths: string[];
  maxObjects: number;
}

export interface SimSession {
  key: string;
  user: string;
  lastUsedAt: number;
  views: Map<string, SimView>;
  retrievals: Map<string, Retrieval>;
  vmPagesServed: number;
  collector: SimPropertyCollector;
}

/**
 * The logged-in sessions, by the cookie vCenter sets. A session idle for
 * longer than the TTL is gone, with its views, retrievals and filters.
 */
export class VimSessions {
  private readonly sessions = new Map<string, SimSession>();

  constructor(private readonly ttlMs: number) {}

  /** A new session for a user whose password was checked: the Login answer and its cookie. */
  login(user: string): { returnval: string; setCookie: string } {
    const key = randomUUID();
    const now = Date.now();
    this.sessions.set(key, { key, user, lastUsedAt: now, views: new Map(), retrievals: new Map(), vmPagesServed: 0, collector: new SimPropertyCollector(key) });
    const returnval = fields([
      ['key', key],
      ['userName', user],
      ['fullName', user],
      ['loginTime', new Date(now).toISOString()],
      ['lastActiveTime', new Date(now).toISOString()],
      ['locale', 'en'],
      ['messageLocale', 'en'],
      ['extensionSession', false],
      ['ipAddress', '127.0.0.1'],
      ['userAgent', 'cmdb'],
      ['callCount', 0],
    ]);
    return { returnval, setCookie: `${SESSION_COOKIE}="${key}"; Path=/; HttpOnly; Secure;` };
  }

  /** The request's session, if its cookie names one (alive or not yet dropped). */
  of(req: IncomingMessage): SimSession | undefined {
    const cookie = req.headers.cookie ?? '';
    const match = new RegExp(`${SESSION_COOKIE}="?([^";]+)"?`).exec(cookie);
    return match ? this.sessions.get(match[1]) : undefined;
  }

  /** The request's live session, marked in use; NotAuthenticated without one. */
  authenticated(req: IncomingMessage): SimSession {
    const now = Date.now();
    this.dropExpired(now);
    const session = this.of(req);
    if (!session) {
      throw new VimFault('NotAuthenticated', 'The session is not authenticated.', `${moRef('object', 'Folder', ROOT_FOLDER)}<privilegeId>System.View</privilegeId>`);
    }
    session.lastUsedAt = now;
    return session;
  }

  isAlive(session: SimSession): boolean {
    return this.sessions.get(session.key) === session;
  }

  logout(session: SimSession): void {
    this.sessions.delete(session.key);
  }

  /** Ends every session, as an idle timeout or a vCenter restart would. */
  clear(): void {
    this.sessions.clear();
  }

  all(): IterableIterator<SimSession> {
    return this.sessions.values();
  }

  get size(): number {
    this.dropExpired(Date.now());
    return this.sessions.size;
  }

  private dropExpired(now: number): void {
    for (const [key, session] of this.sessions) if (now - session.lastUsedAt > this.ttlMs) this.sessions.delete(key);
  }
}
