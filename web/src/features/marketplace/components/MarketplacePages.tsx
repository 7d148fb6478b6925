import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, Field, SelectField, Spinner } from '@/components/ui';
import { formatMoney, parseAmount } from '@/lib/money';
import { useListing, useListings, type ListingFilters } from '../api/listings';

/** Browse and search published listings (q, kind, city, price range, sort). */
export function MarketplacePage() {
  const [form, setForm] = useState({ q: '', kind: '', city: '', minPrice: '', maxPrice: '', sort: '' });
  const [filters, setFilters] = useState<ListingFilters>({});
  const listings = useListings(filters);
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    setFilters({
      q: form.q || undefined,
      kind: form.kind || undefined,
      city: form.city || undefined,
      minPrice: parseAmount(form.minPrice, 'USD') ?? undefined,
      maxPrice: parseAmount(form.maxPrice, 'USD') ?? undefined,
      sort: form.sort || undefined,
    });
  }

  const items = listings.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main>
      <h1>Marketplace</h1>
      <form role="search" aria-label="Search listings" onSubmit={submit}>
        <Field label="Search" type="search" value={form.q} onChange={set('q')} />
        <SelectField label="Kind" value={form.kind} onChange={set('kind')}>
          <option value="">Any</option>
          <option value="sale">For sale</option>
          <option value="rent">For rent</option>
          <option value="job">Jobs</option>
          <option value="service">Services</option>
        </SelectField>
        <Field label="City" value={form.city} onChange={set('city')} />
        <Field label="Minimum price" inputMode="decimal" value={form.minPrice} onChange={set('minPrice')} />
        <Field label="Maximum price" inputMode="decimal" value={form.maxPrice} onChange={set('maxPrice')} />
        <SelectField label="Sort" value={form.sort} onChange={set('sort')}>
          <option value="">Best match / newest</option>
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
        <EmptyState title="Nothing matches">
          <p>Try fewer filters or another word.</p>
        </EmptyState>
      ) : (
        <ul className="cards" aria-label="Listings">
          {items.map((l) => (
            <li key={l.id} className="card">
              {l.images[0] && <img src={l.images[0].urls.card} alt="" width={160} height={160} loading="lazy" />}
              <h2>
                <Link to={`/marketplace/${l.id}`}>{l.title}</Link>
              </h2>
              <p>
                {formatMoney(l.price)} / {l.priceUnit} · {l.category} · {l.location.city}
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

export function ListingPage() {
  const { id = '' } = useParams();
  const listing = useListing(id);
  if (listing.isPending) return <Spinner />;
  if (listing.isError) return <ErrorMessage error={listing.error} />;
  const l = listing.data;
  return (
    <main>
      <p>
        <Link to="/marketplace">← Marketplace</Link>
      </p>
      <h1>{l.title}</h1>
      <ul className="cards" aria-label="Photos">
        {l.images.map((img) => (
          <li key={img.id}>
            <img src={img.urls.full} alt={l.title} style={{ maxWidth: '100%' }} />
          </li>
        ))}
      </ul>
      <p>
        {formatMoney(l.price)} / {l.priceUnit} · {l.kind} · {l.category}
      </p>
      <p>{l.description}</p>
      <p>
        Rating {l.rating.count ? `${l.rating.average.toFixed(1)} of 5 (${l.rating.count})` : 'none yet'}
      </p>
    </main>
  );
}
