import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockFetch, renderWithProviders } from '@/testing/render';
import type { Wallet } from '@/lib/api/types';
import { DepositForm } from './WalletForms';

const wallet: Wallet = { id: 'w1', currency: 'USD', available: { amount: 0, currency: 'USD' }, pending: { amount: 0, currency: 'USD' }, status: 'open' };
const transfer = (status: string) => ({
  id: 't1',
  status,
  amount: { amount: 500, currency: 'USD' },
  debitAccountId: 'x',
  creditAccountId: 'w1',
  code: 'deposit',
  createdAt: '2026-01-01T00:00:00Z',
});

describe('DepositForm', () => {
  it('sends minor units with an Idempotency-Key, shows a slow deposit pending, then posted', async () => {
    let polls = 0;
    const calls = mockFetch({
      'POST /api/payments/deposit': () => ({ status: 202, body: transfer('pending') }),
      'GET /api/payments/transfers/t1': () => ({ status: 200, body: transfer(++polls > 1 ? 'posted' : 'pending') }),
    });
    renderWithProviders(<DepositForm wallet={wallet} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Amount to add (USD)'), '5.00');
    await user.selectOptions(screen.getByLabelText('Source'), 'tok_sandbox_slow');
    await user.click(screen.getByRole('button', { name: 'Add money' }));

    const form = screen.getByRole('form', { name: 'Add money to USD wallet' });
    expect(await within(form).findByText('pending')).toBeInTheDocument();
    expect(await within(form).findByText('posted', {}, { timeout: 20_000 })).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toEqual({ accountId: 'w1', amount: { amount: 500, currency: 'USD' }, source: { type: 'card', token: 'tok_sandbox_slow' } });
    expect(post.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('says clearly when the card is declined', async () => {
    mockFetch({
      'POST /api/payments/deposit': () => ({ status: 422, body: { title: 'Deposit declined.', status: 422, detail: 'The card was declined.' } }),
    });
    renderWithProviders(<DepositForm wallet={wallet} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Amount to add (USD)'), '5');
    await user.click(screen.getByRole('button', { name: 'Add money' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Deposit declined. The card was declined.');
  });

  it('checks the amount before sending anything', async () => {
    const calls = mockFetch({});
    renderWithProviders(<DepositForm wallet={wallet} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Amount to add (USD)'), '5.123');
    await user.click(screen.getByRole('button', { name: 'Add money' }));
    expect(screen.getByLabelText('Amount to add (USD)')).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });
});
