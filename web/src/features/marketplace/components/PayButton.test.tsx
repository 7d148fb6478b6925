import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ListingRequest } from '@/lib/api/types';
import { mockFetch, renderWithProviders } from '@/testing/render';
import { PayButton } from './RequestsPage';

const request = { id: 'r1', listingId: 'l1', status: 'accepted', kind: 'hire', price: { amount: 1500, currency: 'USD' } } as unknown as ListingRequest;

describe('PayButton', () => {
  it('keeps the Idempotency-Key while an attempt has no answer, and makes a new one after the server answered', async () => {
    let answer: 'network' | 'problem' | 'ok' = 'network';
    const calls = mockFetch({
      'POST /api/requests/r1/payment': () => {
        if (answer === 'network') throw new TypeError('Failed to fetch');
        return answer === 'problem'
          ? { status: 422, body: { title: 'Insufficient funds.', status: 422, detail: 'Your USD wallet has 5.00 USD available.' } }
          : { status: 201, body: { transferId: 't1', status: 'pending' } };
      },
    });
    renderWithProviders(<PayButton request={request} />);
    const user = userEvent.setup();
    const pay = screen.getByRole('button', { name: 'Pay 15.00 USD into escrow' });

    await user.click(pay);
    expect(await screen.findByRole('alert')).toHaveTextContent('Failed to fetch');
    answer = 'problem';
    await user.click(pay); // the same attempt again: its answer was never heard, so the same key replays it
    expect(await screen.findByRole('alert')).toHaveTextContent('Insufficient funds.');
    answer = 'ok';
    await user.click(pay); // a new attempt after a definite answer
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());

    const keys = calls.map((c) => c.headers['Idempotency-Key']);
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
  });
});
