import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, ErrorMessage, Field, SelectField, StatusBadge } from '@/components/ui';
import { newIdempotencyKey } from '@/lib/api-client';
import type { Transfer, User, Wallet } from '@/lib/api/types';
import { useFormErrors } from '@/lib/form';
import { formatMoney, parseAmount } from '@/lib/money';
import { UserSearch } from '@/features/users/components/UserSearch';
import { useDeposit, useSend, useTransfer, useWithdraw } from '../api/wallets';
import { MoneyField } from './MoneyField';

/** One key per intent: kept across retries of the same form, renewed after a success. */
function useIntentKey() {
  const key = useRef(newIdempotencyKey());
  return { current: () => key.current, renew: () => (key.current = newIdempotencyKey()) };
}

function amountOrError(text: string, currency: string) {
  const amount = parseAmount(text, currency);
  return amount === null || amount <= 0 ? null : amount;
}

export const sandboxSources = [
  { token: 'tok_sandbox_success', label: 'Test card (settles at once)' },
  { token: 'tok_sandbox_slow', label: 'Test card (settles after a moment)' },
  { token: 'tok_sandbox_decline', label: 'Test card (declined)' },
];

/** Shows a transfer's live status: a pending deposit is watched until it is posted. */
export function TransferStatus({ transfer }: { transfer: Transfer }) {
  const live = useTransfer(transfer.status === 'pending' ? transfer.id : undefined);
  const current = live.data ?? transfer;
  return (
    <p role="status">
      {formatMoney(current.amount)} — <StatusBadge status={current.status} />
      {current.status === 'pending' && ' (waiting for the provider to settle…)'} <Link to={`/wallet/transfers/${current.id}`}>Details</Link>
    </p>
  );
}

export function DepositForm({ wallet }: { wallet: Wallet }) {
  const deposit = useDeposit();
  const key = useIntentKey();
  const { errorFor, formError } = useFormErrors(deposit.error);
  const [amount, setAmount] = useState('');
  const [token, setToken] = useState(sandboxSources[0].token);
  const [amountError, setAmountError] = useState<string>();

  function submit(e: FormEvent) {
    e.preventDefault();
    const minor = amountOrError(amount, wallet.currency);
    setAmountError(minor === null ? 'Enter an amount above zero, like 25.00.' : undefined);
    if (minor === null) return;
    deposit.mutate(
      { accountId: wallet.id, amount: { amount: minor, currency: wallet.currency }, source: { type: 'card', token }, idempotencyKey: key.current() },
      { onSuccess: () => key.renew(), onError: () => key.renew() },
    );
  }

  return (
    <form onSubmit={submit} aria-label={`Add money to ${wallet.currency} wallet`} noValidate>
      <h3>Add money</h3>
      <MoneyField label="Amount to add" currency={wallet.currency} value={amount} onChange={setAmount} error={amountError ?? errorFor('amount')} />
      <SelectField label="Source" value={token} onChange={(e) => setToken(e.target.value)} error={errorFor('source')}>
        {sandboxSources.map((s) => (
          <option key={s.token} value={s.token}>
            {s.label}
          </option>
        ))}
      </SelectField>
      <ErrorMessage error={formError} />
      <Button type="submit" busy={deposit.isPending}>
        Add money
      </Button>
      {deposit.data && <TransferStatus key={deposit.data.id} transfer={deposit.data} />}
    </form>
  );
}

export function SendForm({ wallet, me }: { wallet: Wallet; me: string }) {
  const send = useSend();
  const key = useIntentKey();
  const { errorFor, formError } = useFormErrors(send.error);
  const [to, setTo] = useState<User | null>(null);
  const [amount, setAmount] = useState('');
  const [memo, setMemo] = useState('');
  const [errors, setErrors] = useState<{ to?: string; amount?: string }>({});

  function submit(e: FormEvent) {
    e.preventDefault();
    const minor = amountOrError(amount, wallet.currency);
    const next = { to: to ? undefined : 'Choose who receives the money.', amount: minor === null ? 'Enter an amount above zero, like 10.00.' : undefined };
    setErrors(next);
    if (!to || minor === null) return;
    send.mutate(
      { fromAccountId: wallet.id, toUserId: to.id, amount: { amount: minor, currency: wallet.currency }, memo: memo || undefined, idempotencyKey: key.current() },
      { onSuccess: () => { key.renew(); setAmount(''); setMemo(''); } },
    );
  }

  return (
    <form onSubmit={submit} aria-label={`Send money from ${wallet.currency} wallet`} noValidate>
      <h3>Send money</h3>
      {to ? (
        <p>
          To: <strong>{to.firstName} {to.lastName}</strong> @{to.userName}{' '}
          <button type="button" onClick={() => setTo(null)}>Change recipient</button>
        </p>
      ) : (
        <UserSearch label="Recipient" onPick={setTo} excludeId={me} />
      )}
      {(errors.to ?? errorFor('toUserId')) && <p className="field-error">{errors.to ?? errorFor('toUserId')}</p>}
      <MoneyField label="Amount to send" currency={wallet.currency} value={amount} onChange={setAmount} error={errors.amount ?? errorFor('amount')} />
      <Field label="Note (optional)" value={memo} maxLength={140} onChange={(e) => setMemo(e.target.value)} error={errorFor('memo')} />
      <ErrorMessage error={formError} />
      <Button type="submit" busy={send.isPending}>
        Send
      </Button>
      {send.data && <TransferStatus key={send.data.id} transfer={send.data} />}
    </form>
  );
}

export function WithdrawForm({ wallet }: { wallet: Wallet }) {
  const withdraw = useWithdraw();
  const key = useIntentKey();
  const { errorFor, formError } = useFormErrors(withdraw.error);
  const [amount, setAmount] = useState('');
  const [type, setType] = useState<'bank' | 'mobileMoney'>('bank');
  const [accountNumber, setAccountNumber] = useState('');
  const [routingNumber, setRoutingNumber] = useState('');
  const [phoneNumber, setPhoneNumber] = useState('');
  const [amountError, setAmountError] = useState<string>();

  function submit(e: FormEvent) {
    e.preventDefault();
    const minor = amountOrError(amount, wallet.currency);
    setAmountError(minor === null ? 'Enter an amount above zero.' : undefined);
    if (minor === null) return;
    const destination = type === 'bank' ? { type, accountNumber, routingNumber } : { type, phoneNumber };
    withdraw.mutate(
      { accountId: wallet.id, amount: { amount: minor, currency: wallet.currency }, destination, idempotencyKey: key.current() },
      { onSuccess: () => key.renew() },
    );
  }

  return (
    <form onSubmit={submit} aria-label={`Withdraw from ${wallet.currency} wallet`} noValidate>
      <h3>Withdraw</h3>
      <MoneyField label="Amount to withdraw" currency={wallet.currency} value={amount} onChange={setAmount} error={amountError ?? errorFor('amount')} />
      <SelectField label="Pay out to" value={type} onChange={(e) => setType(e.target.value as 'bank' | 'mobileMoney')}>
        <option value="bank">Bank account</option>
        <option value="mobileMoney">Mobile money</option>
      </SelectField>
      {type === 'bank' ? (
        <>
          <Field label="Account number" inputMode="numeric" value={accountNumber} onChange={(e) => setAccountNumber(e.target.value)} error={errorFor('destination.accountNumber')} />
          <Field label="Routing number" inputMode="numeric" value={routingNumber} onChange={(e) => setRoutingNumber(e.target.value)} error={errorFor('destination.routingNumber')} />
        </>
      ) : (
        <Field label="Phone number" type="tel" value={phoneNumber} onChange={(e) => setPhoneNumber(e.target.value)} error={errorFor('destination.phoneNumber')} />
      )}
      <ErrorMessage error={formError} />
      <Button type="submit" busy={withdraw.isPending}>
        Withdraw
      </Button>
      {withdraw.data && <TransferStatus key={withdraw.data.id} transfer={withdraw.data} />}
    </form>
  );
}
