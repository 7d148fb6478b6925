import { Field } from '@/components/ui';

export function MoneyField({
  label,
  currency,
  value,
  onChange,
  error,
}: {
  label: string;
  currency: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <Field
      label={`${label} (${currency})`}
      inputMode="decimal"
      autoComplete="off"
      placeholder="0.00"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
    />
  );
}
