import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { Button, EmptyState, ErrorMessage, Field, Spinner } from '@/components/ui';
import { useFormErrors } from '@/lib/form';
import { formatMoney, parseAmount } from '@/lib/money';
import { useCreateLoan, useLoans } from '../api/loans';
import { PayoffChart } from './PayoffChart';

const positive = (what: string) => z.string().refine((v) => (parseAmount(v, 'USD') ?? 0) > 0, `Enter the ${what}, like 250.00.`);
const schema = z.object({
  servicer: z.string().trim().min(2, 'Who services the loan?').max(200),
  principal: positive('amount borrowed'),
  balance: positive('balance left'),
  rate: z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'A yearly rate like 5.5.'),
  dueDay: z.coerce.number().int().min(1, 'A day from 1 to 28.').max(28, 'A day from 1 to 28.'),
  monthlyPayment: positive('monthly payment'),
});

export function LoansPage() {
  const loans = useLoans();
  return (
    <main>
      <h1>Student loans</h1>
      {loans.isPending ? (
        <Spinner />
      ) : loans.isError ? (
        <ErrorMessage error={loans.error} />
      ) : (
        <>
          {loans.data.items.length === 0 && (
            <EmptyState title="No loans tracked yet">
              <p>Add your student loan below to see when it will be paid off, and route community payouts to it.</p>
            </EmptyState>
          )}
          {loans.data.items.map((loan) => (
            <section key={loan.id} aria-label={`Loan from ${loan.servicer}`} className="card">
              <h2>{loan.servicer}</h2>
              <label>
                {loan.percentPaid}% paid of {formatMoney(loan.principal)}
                <progress max={100} value={loan.percentPaid} />
              </label>
              <p>
                Balance {formatMoney(loan.balance)} · {(loan.rateBasisPoints / 100).toFixed(2)}% · {formatMoney(loan.monthlyPayment)} a month · paid via Ahod{' '}
                {formatMoney(loan.paidViaAhod)}
              </p>
              <PayoffChart loan={loan} />
            </section>
          ))}
          {loans.data.communities.length > 0 && (
            <section aria-labelledby="across">
              <h2 id="across">Across my communities</h2>
              <ul>
                {loans.data.communities.map((c) => (
                  <li key={c.communityId}>
                    {c.name}: {c.percentOfGoal}% of {formatMoney(c.goal)} · received {formatMoney(c.received)}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
      <AddLoanForm />
    </main>
  );
}

function AddLoanForm() {
  const create = useCreateLoan();
  const { check, errorFor, formError } = useFormErrors(create.error);
  const [v, setV] = useState({ servicer: '', principal: '', balance: '', rate: '', dueDay: '1', monthlyPayment: '', currency: 'USD' });
  const set = (name: keyof typeof v) => (e: { target: { value: string } }) => setV((s) => ({ ...s, [name]: e.target.value }));
  function submit(e: FormEvent) {
    e.preventDefault();
    const ok = check(schema, v);
    if (!ok) return;
    const money = (text: string) => ({ amount: parseAmount(text, v.currency)!, currency: v.currency });
    const [whole, fraction = ''] = ok.rate.split('.');
    create.mutate({
      servicer: ok.servicer,
      principal: money(ok.principal),
      balance: money(ok.balance),
      rateBasisPoints: Number(whole) * 100 + Number(fraction.padEnd(2, '0')),
      dueDay: ok.dueDay,
      monthlyPayment: money(ok.monthlyPayment),
    });
  }
  return (
    <form onSubmit={submit} aria-label="Add a loan" noValidate>
      <h2>Add a loan</h2>
      <Field label="Servicer" value={v.servicer} onChange={set('servicer')} error={errorFor('servicer')} />
      <Field label="Amount borrowed (USD)" inputMode="decimal" value={v.principal} onChange={set('principal')} error={errorFor('principal')} />
      <Field label="Balance left (USD)" inputMode="decimal" value={v.balance} onChange={set('balance')} error={errorFor('balance')} />
      <Field label="Yearly interest rate (%)" inputMode="decimal" value={v.rate} onChange={set('rate')} error={errorFor('rate') ?? errorFor('rateBasisPoints')} />
      <Field label="Due day of the month" type="number" min={1} max={28} value={v.dueDay} onChange={set('dueDay')} error={errorFor('dueDay')} />
      <Field label="Monthly payment (USD)" inputMode="decimal" value={v.monthlyPayment} onChange={set('monthlyPayment')} error={errorFor('monthlyPayment')} />
      <ErrorMessage error={formError} />
      <Button type="submit" busy={create.isPending}>
        Add loan
      </Button>
    </form>
  );
}
