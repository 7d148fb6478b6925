import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, Spinner, StatusBadge, TextAreaField } from '@/components/ui';
import type { Listing } from '@/lib/api/types';
import { useSession } from '@/lib/auth';
import { useFormErrors } from '@/lib/form';
import { formatMoney } from '@/lib/money';
import { UserName } from '@/features/users/components/UserSearch';
import { useStartConversation } from '@/features/chat/api/chat';
import { useCreateRequest, useListing, useReviews, useUpdateListing } from '../api/listings';
import { ImageUploader } from './ImageUploader';
import { ListingForm } from './ListingForm';

export function ListingPage() {
  const { id = '' } = useParams();
  const { user } = useSession();
  const listing = useListing(id);
  if (listing.isPending) return <Spinner label="Loading the listing…" />;
  if (listing.isError) return <main><ErrorMessage error={listing.error} /><Link to="/marketplace">Back to the marketplace</Link></main>;
  const l = listing.data;
  const mine = user?.id === l.ownerId;
  return (
    <main>
      <p>
        <Link to="/marketplace">← Marketplace</Link>
      </p>
      <h1>{l.title}</h1>
      {l.images.length > 0 && (
        <ul className="photos" aria-label="Photos">
          {l.images.map((img, i) => (
            <li key={img.id}>
              <img src={img.urls.full} alt={`${l.title}, photo ${i + 1}`} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <strong>{formatMoney(l.price)}</strong> per {l.priceUnit} · {l.kind} · {l.category} · {l.location.city} <StatusBadge status={l.status} />
      </p>
      <p style={{ whiteSpace: 'pre-wrap' }}>{l.description}</p>
      <Attributes attributes={l.attributes as Record<string, unknown>} />
      <p>
        Offered by <UserName id={l.ownerId} /> · Rating: {l.rating.count ? `${(l.rating.average ?? 0).toFixed(1)} of 5 (${l.rating.count})` : 'no reviews yet'}
      </p>
      {mine ? <OwnerPanel listing={l} /> : l.status === 'published' && <RequestPanel listing={l} />}
      <Reviews listingId={l.id} />
    </main>
  );
}

function Attributes({ attributes }: { attributes: Record<string, unknown> }) {
  const entries = Object.entries(attributes ?? {}).filter(([, v]) => v !== false);
  if (!entries.length) return null;
  return (
    <dl className="details">
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: 'contents' }}>
          <dt>{k}</dt>
          <dd>{Array.isArray(v) ? v.join(', ') : v === true ? 'yes' : String(v)}</dd>
        </div>
      ))}
    </dl>
  );
}

function OwnerPanel({ listing }: { listing: Listing }) {
  const update = useUpdateListing(listing.id);
  return (
    <section aria-label="Manage your listing">
      <h2>Your listing</h2>
      {listing.status === 'draft' && <p>This is a draft: only you can see it. Add photos, then publish it.</p>}
      <div className="actions">
        {listing.status !== 'closed' && (
          <Link to={`/marketplace/${listing.id}/edit`} className="button">
            Edit the listing
          </Link>
        )}
        {listing.status === 'draft' && (
          <Button busy={update.isPending} onClick={() => update.mutate({ status: 'published' })}>
            Publish
          </Button>
        )}
        {listing.status === 'published' && (
          <Button className="secondary" busy={update.isPending} onClick={() => update.mutate({ status: 'closed' })}>
            Close the listing
          </Button>
        )}
        <Link to="/marketplace/requests?role=owner">Requests you received</Link>
      </div>
      <ErrorMessage error={update.error} />
      {listing.status !== 'closed' && <ImageUploader listing={listing} />}
    </section>
  );
}

const requestVerb: Record<string, string> = { sale: 'Buy', rent: 'Rent', job: 'Apply', service: 'Hire' };

function RequestPanel({ listing }: { listing: Listing }) {
  const create = useCreateRequest(listing.id);
  const start = useStartConversation();
  const navigate = useNavigate();
  const { errorFor, formError } = useFormErrors(create.error);
  const [message, setMessage] = useState('');
  const verb = requestVerb[listing.kind] ?? 'Request';

  function submit(e: FormEvent) {
    e.preventDefault();
    create.mutate({ message });
  }

  return (
    <section aria-label="Interested?">
      {create.data ? (
        <p role="status">
          Request sent. <Link to="/marketplace/requests">See your requests</Link>
        </p>
      ) : (
        <form onSubmit={submit} aria-label={`${verb}: send a request`} noValidate>
          <TextAreaField label="Message to the owner" value={message} maxLength={2000} onChange={(e) => setMessage(e.target.value)} error={errorFor('message')} />
          <ErrorMessage error={formError} />
          <Button type="submit" busy={create.isPending}>
            Send request
          </Button>
        </form>
      )}
      <Button className="secondary" busy={start.isPending} onClick={() => start.mutate({ type: 'listing', listingId: listing.id }, { onSuccess: (c) => navigate(`/messages/${c.id}`) })}>
        Message the owner
      </Button>
      <ErrorMessage error={start.error} />
    </section>
  );
}

function Reviews({ listingId }: { listingId: string }) {
  const reviews = useReviews(listingId);
  return (
    <section aria-label="Reviews">
      <h2>Reviews</h2>
      {reviews.isPending ? (
        <Spinner label="Loading reviews…" />
      ) : reviews.isError ? (
        <ErrorMessage error={reviews.error} />
      ) : reviews.data.items.length === 0 ? (
        <p>No reviews yet.</p>
      ) : (
        <ul className="history" aria-label="Reviews of this listing">
          {reviews.data.items.map((r) => (
            <li key={r.id}>
              <strong aria-label={`${r.rating} of 5`}>{'★'.repeat(r.rating)}{'☆'.repeat(5 - r.rating)}</strong> {r.text}{' '}
              <small className="muted">— {r.authorId ? <UserName id={r.authorId} /> : 'deleted user'} ({r.authorRole})</small>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function NewListingPage() {
  return (
    <main className="narrow">
      <h1>New listing</h1>
      <p>It is saved as a draft: add photos on the next page, then publish it.</p>
      <ListingForm />
    </main>
  );
}

export function EditListingPage() {
  const { id = '' } = useParams();
  const listing = useListing(id);
  if (listing.isPending) return <Spinner />;
  if (listing.isError) return <ErrorMessage error={listing.error} />;
  return (
    <main className="narrow">
      <h1>Edit: {listing.data.title}</h1>
      <ListingForm listing={listing.data} />
    </main>
  );
}

export function EmptyMarketplace() {
  return (
    <EmptyState title="Nothing matches">
      <p>
        Try fewer filters or another word, or <Link to="/marketplace/new">list something yourself</Link>.
      </p>
    </EmptyState>
  );
}
