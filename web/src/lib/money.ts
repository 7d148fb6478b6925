/** Money is integer minor units with an ISO 4217 code; no floating point touches an amount. */
export type Money = { amount: number; currency: string };

const digits: Record<string, number> = { JPY: 0, KRW: 0, UGX: 0, RWF: 0, XOF: 0, XAF: 0, BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3 };

export function minorDigits(currency: string): number {
  return digits[currency.toUpperCase()] ?? 2;
}

export function formatMoney(money: Money | null | undefined): string {
  if (!money) return '';
  const grouped = formatAmount(money).replace(/^(-?)(\d+)/, (_, sign: string, units: string) => sign + units.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  return `${grouped} ${money.currency}`;
}

/** The amount as decimal text without grouping or currency ("1250.50"), as a person would type it back. */
export function formatAmount(money: Money): string {
  const scale = minorDigits(money.currency);
  const negative = money.amount < 0;
  const abs = Math.abs(money.amount);
  const units = Math.floor(abs / 10 ** scale);
  const fraction = scale ? '.' + String(abs % 10 ** scale).padStart(scale, '0') : '';
  return `${negative ? '-' : ''}${units}${fraction}`;
}

/** "12.5" → 1250 for USD; null when the text is not an amount with at most the currency's decimals. */
export function parseAmount(text: string, currency: string): number | null {
  const scale = minorDigits(currency);
  const trimmed = text.trim().replace(/,/g, '');
  const pattern = scale ? new RegExp(`^(\\d{1,12})(?:\\.(\\d{1,${scale}}))?$`) : /^(\d{1,15})$/;
  const match = pattern.exec(trimmed);
  if (!match) return null;
  const fraction = (match[2] ?? '').padEnd(scale, '0');
  return Number(match[1]) * 10 ** scale + (scale ? Number(fraction) : 0);
}
