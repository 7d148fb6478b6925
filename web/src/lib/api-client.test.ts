import { beforeEach, describe, expect, it } from 'vitest';
import { mockFetch } from '@/testing/render';
import { api, setTokenSource } from './api-client';
import { ApiError } from './problem';

describe('api client', () => {
  beforeEach(() => setTokenSource({ getAccessToken: () => 'old', refresh: async () => 'new' }));

  it('turns a ProblemDetails answer into an ApiError with field errors', async () => {
    mockFetch({
      'POST /api/payments/send': () => ({
        status: 400,
        body: { title: 'One or more validation errors occurred.', status: 400, errors: { 'amount.amount': ['Must be above zero.'] } },
      }),
    });
    const error = await api.post('/api/payments/send', { amount: { amount: 0 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).fieldErrors('amount')).toEqual(['Must be above zero.']);
    expect((error as ApiError).fieldErrors('memo')).toEqual([]);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const calls = mockFetch({
      'GET /api/auth/me': (_body, init) =>
        (init.headers as Record<string, string>).Authorization === 'Bearer new' ? { status: 200, body: { id: '1' } } : { status: 401, body: { title: 'Unauthorized' } },
    });
    await expect(api.get('/api/auth/me')).resolves.toEqual({ id: '1' });
    expect(calls.map((c) => c.headers.Authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('sends the Idempotency-Key it is given', async () => {
    const calls = mockFetch({ 'POST /api/payments/deposit': () => ({ status: 201, body: { id: 't', status: 'posted' } }) });
    await api.post('/api/payments/deposit', {}, { idempotencyKey: 'k-1' });
    expect(calls[0].headers['Idempotency-Key']).toBe('k-1');
  });
});
