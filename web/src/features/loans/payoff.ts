/**
 * The month-by-month balance of a loan paid monthly: interest accrues on the balance at rate/12 (rounded to the minor
 * unit), then the payment is applied. Integer minor units only. Stops at zero, or after `maxMonths` (a payment that
 * never covers the interest never pays the loan off: `paidOff` is false then).
 */
export function payoffSchedule(balance: number, rateBasisPoints: number, monthlyPayment: number, maxMonths = 600) {
  const points: { month: number; balance: number }[] = [{ month: 0, balance }];
  let remaining = balance;
  for (let month = 1; month <= maxMonths && remaining > 0; month++) {
    const interest = Math.round((remaining * rateBasisPoints) / 10_000 / 12);
    remaining = Math.max(0, remaining + interest - monthlyPayment);
    points.push({ month, balance: remaining });
  }
  return { points, paidOff: remaining === 0, months: points.length - 1 };
}
