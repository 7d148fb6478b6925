import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { api, setTokenSource } from './api-client';
import type { AuthResult, User } from './api/types';

/**
 * The auth session: the access token lives in memory only; the refresh token is an httponly cookie the browser sends
 * to /api/auth/refresh. On start and before the token expires, the session refreshes silently; a refresh that fails
 * (signed out elsewhere, reuse detected, cookie gone) ends it.
 */
export type SessionState =
  | { status: 'loading' }
  | { status: 'signedOut' }
  | { status: 'signedIn'; accessToken: string; expiresAt: number; user: User };

type Listener = () => void;

export class SessionStore {
  private state: SessionState = { status: 'loading' };
  private listeners = new Set<Listener>();
  private refreshing: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  getState = () => this.state;

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(state: SessionState) {
    this.state = state;
    clearTimeout(this.timer);
    if (state.status === 'signedIn') {
      // A minute early (or halfway for very short tokens), so calls never carry an expired token.
      const lead = Math.min(60_000, (state.expiresAt - Date.now()) / 2);
      this.timer = setTimeout(() => void this.refresh(), Math.max(1_000, state.expiresAt - Date.now() - lead));
    }
    this.listeners.forEach((l) => l());
  }

  accept(result: AuthResult) {
    this.set({ status: 'signedIn', accessToken: result.accessToken, expiresAt: Date.now() + Number(result.expiresIn) * 1000, user: result.user });
  }

  updateUser(user: User) {
    if (this.state.status === 'signedIn') this.set({ ...this.state, user });
  }

  getAccessToken = () => (this.state.status === 'signedIn' ? this.state.accessToken : null);

  /**
   * One refresh at a time: concurrent 401s in this tab share it, and other tabs of the same origin wait for it (a Web
   * Lock), then refresh with the cookie it brought. Two tabs presenting the same refresh token would look like reuse.
   */
  refresh = (): Promise<string | null> => {
    this.refreshing ??= withRefreshLock(() => api.post<AuthResult>('/api/auth/refresh', undefined, { anonymous: true }))
      .then((result) => {
        this.accept(result);
        return result.accessToken;
      })
      .catch(() => {
        this.set({ status: 'signedOut' });
        return null;
      })
      .finally(() => {
        this.refreshing = null;
      });
    return this.refreshing;
  };

  async signOut() {
    try {
      await api.post('/api/auth/signout', undefined, { anonymous: true });
    } finally {
      this.set({ status: 'signedOut' });
    }
  }
}

/** Runs `work` under the origin-wide refresh lock where the browser has Web Locks. */
export function withRefreshLock<T>(work: () => Promise<T>, locks: LockManager | undefined = globalThis.navigator?.locks): Promise<T> {
  return locks ? locks.request('ahod-session-refresh', work) : work();
}

export const session = new SessionStore();
setTokenSource({ getAccessToken: session.getAccessToken, refresh: session.refresh });

const SessionContext = createContext<SessionStore>(session);

export function SessionProvider({ store = session, children }: { store?: SessionStore; children: ReactNode }) {
  useEffect(() => {
    if (store.getState().status === 'loading') void store.refresh();
  }, [store]);
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

export function useSession() {
  const store = useContext(SessionContext);
  const state = useSyncExternalStore(store.subscribe, store.getState);
  return useMemo(() => ({ state, store, user: state.status === 'signedIn' ? state.user : null }), [state, store]);
}

/** The signed-in user; only for pages behind the auth guard. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser outside a signed-in route');
  return user;
}
