import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { z } from 'zod';
import { Button, ErrorMessage, Field, SelectField, TextAreaField } from '@/components/ui';
import type { Listing } from '@/lib/api/types';
import { useFormErrors } from '@/lib/form';
import { formatAmount, parseAmount } from '@/lib/money';
import { useCreateListing, useUpdateListing } from '../api/listings';
import { attributesJson, categories, categoriesFor, kinds, priceUnits, type AttributeField } from '../categories';

type AttributeValues = Record<string, string | string[] | boolean>;

const schema = z.object({
  title: z.string().trim().min(3, 'At least 3 characters.').max(120, 'At most 120 characters.'),
  description: z.string().trim().min(1, 'Say what you offer.').max(5000, 'At most 5000 characters.'),
  price: z.number({ invalid_type_error: 'Enter a price like 15.00 (0 for free).' }).int().min(0, 'Enter a price like 15.00 (0 for free).'),
  city: z.string().trim().min(1, 'Where is it?').max(100),
  country: z.string().regex(/^[A-Z]{2}$/, 'Two capital letters, like US.'),
});

/**
 * Creates a listing (saved as a draft: add photos, then publish) or edits one. Checked with zod before sending; the
 * server's ProblemDetails field errors (title, price.amount, location.city, attributes.subject...) show beside their field.
 */
export function ListingForm({ listing }: { listing?: Listing }) {
  const navigate = useNavigate();
  const create = useCreateListing();
  const update = useUpdateListing(listing?.id ?? '');
  const mutation = listing ? update : create;
  const { check, errorFor, formError } = useFormErrors(mutation.error);

  const [kind, setKind] = useState<string>(listing?.kind ?? 'service');
  const [category, setCategory] = useState<string>(listing?.category ?? 'tutoring');
  const [title, setTitle] = useState(listing?.title ?? '');
  const [description, setDescription] = useState(listing?.description ?? '');
  const [currency] = useState(listing?.price.currency ?? 'USD');
  const [price, setPrice] = useState(listing ? formatAmount(listing.price) : '');
  const [priceUnit, setPriceUnit] = useState<string>(listing?.priceUnit ?? 'hour');
  const [city, setCity] = useState(listing?.location.city ?? '');
  const [country, setCountry] = useState(listing?.location.country ?? 'US');
  const [attributes, setAttributes] = useState<AttributeValues>(() => initialAttributes(listing));

  const allowed = categoriesFor(kind);
  const chosen = categories.find((c) => c.name === category && c.kinds.includes(kind));

  function changeKind(next: string) {
    setKind(next);
    if (!categoriesFor(next).some((c) => c.name === category)) setCategory(categoriesFor(next)[0].name);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const minor = parseAmount(price, currency);
    const valid = check(schema, { title, description, price: minor ?? Number.NaN, city, country });
    if (!valid) return;
    const body = {
      category,
      title: valid.title,
      description: valid.description,
      price: { amount: valid.price, currency },
      priceUnit,
      // The form has no region field: an edit keeps the one the listing has.
      location: { city: valid.city, region: listing?.location.region ?? null, country: valid.country },
      attributes: attributesJson(chosen, attributes),
    };
    if (listing) update.mutate(body, { onSuccess: (l) => navigate(`/marketplace/${l.id}`) });
    else create.mutate({ ...body, kind, status: 'draft' }, { onSuccess: (l) => navigate(`/marketplace/${l.id}`) });
  }

  return (
    <form onSubmit={submit} aria-label={listing ? 'Edit the listing' : 'Create a listing'} noValidate>
      {!listing && (
        <SelectField label="Kind" value={kind} onChange={(e) => changeKind(e.target.value)} error={errorFor('kind')}>
          {kinds.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField label="Category" value={category} onChange={(e) => setCategory(e.target.value)} error={errorFor('category')}>
        {allowed.map((c) => (
          <option key={c.name} value={c.name}>
            {c.label}
          </option>
        ))}
      </SelectField>
      <Field label="Title" value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} error={errorFor('title')} />
      <TextAreaField label="Description" value={description} maxLength={5000} onChange={(e) => setDescription(e.target.value)} error={errorFor('description')} />
      <Field
        label={`Price (${currency})`}
        inputMode="decimal"
        autoComplete="off"
        placeholder="0.00"
        value={price}
        onChange={(e) => setPrice(e.target.value)}
        error={errorFor('price')}
      />
      <SelectField label="Price per" value={priceUnit} onChange={(e) => setPriceUnit(e.target.value)} error={errorFor('priceUnit')}>
        {priceUnits.map((u) => (
          <option key={u} value={u}>
            {u}
          </option>
        ))}
      </SelectField>
      <Field label="City" value={city} onChange={(e) => setCity(e.target.value)} error={errorFor('location.city') ?? errorFor('city')} />
      <Field label="Country" value={country} maxLength={2} hint="Two letters, like US." onChange={(e) => setCountry(e.target.value.toUpperCase())} error={errorFor('location.country') ?? errorFor('country')} />
      {chosen?.attributes.map((field) => (
        <AttributeInput key={field.name} field={field} value={attributes[field.name]} error={errorFor(`attributes.${field.name}`)} onChange={(v) => setAttributes((a) => ({ ...a, [field.name]: v }))} />
      ))}
      <ErrorMessage error={formError} />
      <Button type="submit" busy={mutation.isPending}>
        {listing ? 'Save changes' : 'Save as draft'}
      </Button>
    </form>
  );
}

function initialAttributes(listing?: Listing): AttributeValues {
  const values: AttributeValues = {};
  for (const [name, value] of Object.entries((listing?.attributes ?? {}) as Record<string, unknown>)) {
    values[name] = Array.isArray(value) ? value.map(String) : typeof value === 'boolean' ? value : String(value);
  }
  return values;
}

function AttributeInput({ field, value, error, onChange }: { field: AttributeField; value: AttributeValues[string] | undefined; error?: string; onChange: (v: AttributeValues[string]) => void }) {
  const label = field.type !== 'boolean' && field.required ? field.label : `${field.label}${field.type === 'boolean' ? '' : ' (optional)'}`;
  switch (field.type) {
    case 'choice':
      return (
        <SelectField label={label} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} error={error}>
          <option value="">Choose…</option>
          {field.values.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </SelectField>
      );
    case 'choices': {
      const selected = Array.isArray(value) ? value : [];
      return (
        <fieldset aria-invalid={error ? true : undefined}>
          <legend>{label}</legend>
          {field.values.map((v) => (
            <label key={v} className="field checkbox">
              <input type="checkbox" checked={selected.includes(v)} onChange={(e) => onChange(e.target.checked ? [...selected, v] : selected.filter((s) => s !== v))} /> {v}
            </label>
          ))}
          {error && <span className="field-error">{error}</span>}
        </fieldset>
      );
    }
    case 'boolean':
      return (
        <label className="field checkbox">
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {field.label}
        </label>
      );
    default:
      return (
        <Field label={label} inputMode={field.type === 'integer' ? 'numeric' : undefined} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} error={error} />
      );
  }
}
