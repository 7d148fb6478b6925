import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { Button, ErrorMessage, Field, SelectField, Spinner } from '@/components/ui';
import { formatMoney, parseAmount } from '@/lib/money';
import { useListings, type ListingFilters } from '../api/listings';
import { categories, kinds } from '../categories';
import { EmptyMarketplace } from './ListingPages';

const blank = { q: '', kind: '', category: '', city: '', minPrice: '', maxPrice: '', sort: '' };

/** Browse and search published listings: words, kind, category, city, price range and sort; 20 at a time. */
export function MarketplacePage() {
  const [form, setForm] = useState(blank);
  const [filters, setFilters] = useState<ListingFilters>({});
  const [priceError, setPriceError] = useState<{ min?: string; max?: string }>({});
  const listings = useListings(filters);
  const set = (name: keyof typeof blank) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const min = form.minPrice ? parseAmount(form.minPrice, 'USD') : undefined;
    const max = form.maxPrice ? parseAmount(form.maxPrice, 'USD') : undefined;
    const errors = { min: min === null ? 'A price like 10.00.' : undefined, max: max === null ? 'A price like 10.00.' : undefined };
    setPriceError(errors);
    if (errors.min || errors.max) return;
    setFilters({
      q: form.q.trim() || undefined,
      kind: form.kind || undefined,
      category: form.category || undefined,
      city: form.city.trim() || undefined,
      minPrice: min ?? undefined,
      maxPrice: max ?? undefined,
      currency: min != null || max != null ? 'USD' : undefined,
      sort: form.sort || undefined,
    });
  }

  const items = listings.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main>
      <h1>Marketplace</h1>
      <div className="actions">
        <Link to="/marketplace/new" className="button">
          New listing
        </Link>
        <Link to="/marketplace/requests">My requests</Link>
      </div>
      <form role="search" aria-label="Search listings" onSubmit={submit} noValidate>
        <Field label="Search" type="search" placeholder="calculus tutor, bike, room…" value={form.q} onChange={set('q')} />
        <SelectField label="Kind" value={form.kind} onChange={set('kind')}>
          <option value="">Any</option>
          {kinds.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </SelectField>
        <SelectField label="Category" value={form.category} onChange={set('category')}>
          <option value="">Any</option>
          {categories.map((c) => (
            <option key={c.name} value={c.name}>
              {c.label}
            </option>
          ))}
        </SelectField>
        <Field label="City" value={form.city} onChange={set('city')} />
        <Field label="Minimum price (USD)" inputMode="decimal" value={form.minPrice} onChange={set('minPrice')} error={priceError.min} />
        <Field label="Maximum price (USD)" inputMode="decimal" value={form.maxPrice} onChange={set('maxPrice')} error={priceError.max} />
        <SelectField label="Sort" value={form.sort} onChange={set('sort')}>
          <option value="">Best match / newest</option>
          <option value="newest">Newest</option>
          <option value="price_asc">Price, low to high</option>
          <option value="price_desc">Price, high to low</option>
        </SelectField>
        <Button type="submit">Search</Button>
      </form>
      {listings.isPending ? (
        <Spinner label="Loading listings…" />
      ) : listings.isError ? (
        <ErrorMessage error={listings.error} />
      ) : items.length === 0 ? (
        <EmptyMarketplace />
      ) : (
        <ul className="cards" aria-label="Listings">
          {items.map((l) => (
            <li key={l.id} className="card" aria-label={l.title}>
              {l.images[0] && <img src={l.images[0].urls.card} alt="" width={320} height={320} loading="lazy" />}
              <h2>
                <Link to={`/marketplace/${l.id}`}>{l.title}</Link>
              </h2>
              <p>
                {formatMoney(l.price)} per {l.priceUnit} · {l.category} · {l.location.city}
              </p>
            </li>
          ))}
        </ul>
      )}
      {listings.hasNextPage && (
        <Button busy={listings.isFetchingNextPage} onClick={() => void listings.fetchNextPage()}>
          More listings
        </Button>
      )}
    </main>
  );
}
