import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Loan } from '@/lib/api/types';
import { formatMoney } from '@/lib/money';
import { payoffSchedule } from '../payoff';

/** The projected balance until payoff; the figure is described in text too (role="img" with a label). */
export function PayoffChart({ loan }: { loan: Loan }) {
  const schedule = payoffSchedule(loan.balance.amount, loan.rateBasisPoints, loan.monthlyPayment.amount);
  const start = new Date();
  const data = schedule.points.map((p) => {
    const d = new Date(start.getFullYear(), start.getMonth() + p.month, 1);
    return { label: d.toLocaleDateString(undefined, { month: 'short', year: '2-digit' }), balance: p.balance };
  });
  const summary = schedule.paidOff
    ? `Balance ${formatMoney(loan.balance)} falls to zero in ${schedule.months} months${loan.projection ? `, by ${loan.projection.payoffDate}` : ''}.`
    : `At ${formatMoney(loan.monthlyPayment)} a month the interest is never covered: raise the monthly payment.`;
  return (
    <figure role="img" aria-label={`Payoff projection for ${loan.servicer}. ${summary}`} className="chart">
      <div style={{ width: '100%', height: 220 }}>
        <ResponsiveContainer>
          <AreaChart data={data} margin={{ left: 8, right: 8, top: 8, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" minTickGap={24} />
            <YAxis tickFormatter={(v: number) => String(Math.round(v / 100))} width={48} />
            <Tooltip formatter={(v: number) => formatMoney({ amount: v, currency: loan.balance.currency })} />
            <Area type="monotone" dataKey="balance" stroke="#0b6e4f" fill="#a7e3c9" isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
