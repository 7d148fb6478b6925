import { describe, expect, it } from 'vitest';
import { mockFetch } from '@/testing/render';
import { SessionStore } from './auth';

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
});
