import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { z } from 'zod';
import { Button, ErrorMessage, Field, SelectField } from '@/components/ui';
import { useFormErrors } from '@/lib/form';
import { parseAmount } from '@/lib/money';
import { useCreateCommunity } from '../api/communities';

const money = (label: string) => z.string().refine((v) => (parseAmount(v, 'USD') ?? 0) > 0, `Enter the ${label}, like 50.00.`);

export const communitySchema = z.object({
  name: z.string().trim().min(3, 'At least 3 characters.').max(100),
  bio: z.string().max(2000),
  currency: z.string().length(3),
  goal: money('goal'),
  contribution: money('contribution'),
  frequency: z.enum(['weekly', 'biweekly', 'monthly']),
  payoutMethod: z.enum(['rotation', 'randomDraw', 'bidding']),
  maxMembers: z.coerce.number().int().min(2, 'At least 2 members.').max(100, 'At most 100 members.'),
  isPrivate: z.boolean(),
});

export function CreateCommunityForm() {
  const create = useCreateCommunity();
  const navigate = useNavigate();
  const { check, errorFor, formError } = useFormErrors(create.error);
  const [v, setV] = useState({
    name: '',
    bio: '',
    currency: 'USD',
    goal: '',
    contribution: '',
    frequency: 'monthly',
    payoutMethod: 'rotation',
    maxMembers: '10',
    isPrivate: true,
  });
  const set = (name: keyof typeof v) => (e: { target: { value: string } }) => setV((s) => ({ ...s, [name]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const ok = check(communitySchema, v);
    if (!ok) return;
    create.mutate(
      {
        name: ok.name,
        bio: ok.bio,
        goal: { amount: parseAmount(ok.goal, ok.currency)!, currency: ok.currency },
        contribution: { amount: parseAmount(ok.contribution, ok.currency)!, currency: ok.currency },
        frequency: ok.frequency,
        payoutMethod: ok.payoutMethod,
        maxMembers: ok.maxMembers,
        isPrivate: ok.isPrivate,
      },
      { onSuccess: (c) => navigate(`/communities/${c.id}`) },
    );
  }

  return (
    <form onSubmit={submit} aria-label="Create a community" noValidate>
      <Field label="Name" value={v.name} onChange={set('name')} error={errorFor('name')} />
      <Field label="About" value={v.bio} onChange={set('bio')} error={errorFor('bio')} />
      <SelectField label="Currency" value={v.currency} onChange={set('currency')}>
        {['USD', 'EUR', 'GBP', 'KES', 'NGN', 'GHS'].map((c) => (
          <option key={c}>{c}</option>
        ))}
      </SelectField>
      <Field label="Goal" inputMode="decimal" value={v.goal} onChange={set('goal')} error={errorFor('goal')} />
      <Field label="Contribution per cycle" inputMode="decimal" value={v.contribution} onChange={set('contribution')} error={errorFor('contribution')} />
      <SelectField label="Frequency" value={v.frequency} onChange={set('frequency')} error={errorFor('frequency')}>
        <option value="weekly">Weekly</option>
        <option value="biweekly">Every two weeks</option>
        <option value="monthly">Monthly</option>
      </SelectField>
      <SelectField label="Payout method" value={v.payoutMethod} onChange={set('payoutMethod')} error={errorFor('payoutMethod')}>
        <option value="rotation">Rotation in join order</option>
        <option value="randomDraw">Random draw</option>
        <option value="bidding">Bidding</option>
      </SelectField>
      <Field label="Maximum members" type="number" min={2} max={100} value={v.maxMembers} onChange={set('maxMembers')} error={errorFor('maxMembers')} />
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={v.isPrivate} onChange={(e) => setV((s) => ({ ...s, isPrivate: e.target.checked }))} /> Private (invite code
          only)
        </label>
      </div>
      <ErrorMessage error={formError} />
      <Button type="submit" busy={create.isPending}>
        Create community
      </Button>
    </form>
  );
}
