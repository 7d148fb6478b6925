import { describe, expect, it } from 'vitest';
import { payoffSchedule } from './payoff';

describe('payoffSchedule', () => {
  it('pays a loan without interest off in balance / payment months', () => {
    const s = payoffSchedule(1200_00, 0, 100_00);
    expect(s.paidOff).toBe(true);
    expect(s.months).toBe(12);
    expect(s.points.at(-1)?.balance).toBe(0);
  });

  it('adds monthly interest in whole minor units', () => {
    const s = payoffSchedule(10_000_00, 600, 1_000_00);
    expect(s.points[1].balance).toBe(10_000_00 + 50_00 - 1_000_00);
    expect(s.paidOff).toBe(true);
    expect(s.points.every((p) => Number.isInteger(p.balance))).toBe(true);
  });

  it('says so when the payment never covers the interest', () => {
    expect(payoffSchedule(10_000_00, 2400, 100_00, 120).paidOff).toBe(false);
  });
});
