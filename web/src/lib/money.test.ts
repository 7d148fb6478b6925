import { describe, expect, it } from 'vitest';
import { formatMoney, parseAmount } from './money';

describe('money', () => {
  it('parses decimal text to minor units without floating point', () => {
    expect(parseAmount('12.5', 'USD')).toBe(1250);
    expect(parseAmount('0.07', 'USD')).toBe(7);
    expect(parseAmount('1,234.56', 'USD')).toBe(123456);
    expect(parseAmount('1000', 'JPY')).toBe(1000);
  });

  it('refuses text that is not an amount in the currency', () => {
    expect(parseAmount('ten', 'USD')).toBeNull();
    expect(parseAmount('1.234', 'USD')).toBeNull();
    expect(parseAmount('-5', 'USD')).toBeNull();
    expect(parseAmount('1.5', 'JPY')).toBeNull();
  });

  it('formats minor units with the currency', () => {
    expect(formatMoney({ amount: 123456, currency: 'USD' })).toBe('1,234.56 USD');
    expect(formatMoney({ amount: -7, currency: 'USD' })).toBe('-0.07 USD');
    expect(formatMoney({ amount: 500, currency: 'JPY' })).toBe('500 JPY');
  });
});
