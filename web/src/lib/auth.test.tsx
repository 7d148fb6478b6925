import { describe, expect, it } from 'vitest';
import { mockFetch } from '@/testing/render';
import { SessionStore, withRefreshLock } from './auth';

const user = { id: 'u1', email: 'a@example.com', emailVerified: true, userName: 'ann', firstName: 'Ann', lastName: 'S', photoUrl: null, roles: ['member'] };

describe('SessionStore', () => {
  it('signs in silently from the refresh cookie, and ends the session when refresh is refused', async () => {
    const calls = mockFetch({ 'POST /api/auth/refresh': () => ({ status: 200, body: { accessToken: 'a1', expiresIn: 900, user } }) });
    const store = new SessionStore();
    expect(await store.refresh()).toBe('a1');
    expect(store.getState()).toMatchObject({ status: 'signedIn', accessToken: 'a1', user: { userName: 'ann' } });
    expect(calls[0].headers.Authorization).toBeUndefined();

    mockFetch({ 'POST /api/auth/refresh': () => ({ status: 401, body: { title: 'Unauthorized', status: 401 } }) });
    expect(await store.refresh()).toBeNull();
    expect(store.getState().status).toBe('signedOut');
  });

  it('shares one refresh between concurrent callers', async () => {
    const calls = mockFetch({ 'POST /api/auth/refresh': () => ({ status: 200, body: { accessToken: 'a2', expiresIn: 900, user } }) });
    const store = new SessionStore();
    const [a, b] = await Promise.all([store.refresh(), store.refresh()]);
    expect([a, b]).toEqual(['a2', 'a2']);
    expect(calls).toHaveLength(1);
  });

  it('takes the cross-tab lock around the refresh, so another tab waits for it', async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // A stand-in LockManager with the Web Locks semantics the refresh relies on: one holder per name, others queue.
    const queue = new Map<string, Promise<unknown>>();
    const locks = {
      request: (name: string, work: () => Promise<unknown>) => {
        const run = (queue.get(name) ?? Promise.resolve()).then(work);
        queue.set(name, run.catch(() => undefined));
        return run;
      },
    } as unknown as LockManager;
    const first = withRefreshLock(async () => {
      order.push('first starts');
      await held;
      order.push('first ends');
    }, locks);
    const second = withRefreshLock(async () => void order.push('second runs'), locks);
    await Promise.resolve();
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['first starts', 'first ends', 'second runs']);
  });

  it('refreshes without a lock where the browser has no Web Locks', async () => {
    expect(await withRefreshLock(async () => 'done', undefined)).toBe('done');
  });
});
