import { useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, SelectField, Spinner, StatusBadge, TextAreaField } from '@/components/ui';
import { newIdempotencyKey } from '@/lib/api-client';
import type { ListingRequest } from '@/lib/api/types';
import { useUser } from '@/lib/auth';
import { useFormErrors } from '@/lib/form';
import { formatMoney } from '@/lib/money';
import { isApiError } from '@/lib/problem';
import { UserName } from '@/features/users/components/UserSearch';
import { useCreateReview, useListing, usePayRequest, useRequests, useUpdateRequest, type RequestRole } from '../api/listings';
import { requestActions } from '../requestActions';

/** Requests I made (as buyer, renter, applicant, client) and requests I received on my listings, with their actions. */
export function RequestsPage() {
  const [params, setParams] = useSearchParams();
  const role: RequestRole = params.get('role') === 'owner' ? 'owner' : 'requester';
  const requests = useRequests(role);
  const items = requests.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main>
      <p>
        <Link to="/marketplace">← Marketplace</Link>
      </p>
      <h1>Requests</h1>
      <div role="tablist" aria-label="Which requests">
        <button role="tab" aria-selected={role === 'requester'} onClick={() => setParams({ role: 'requester' })}>
          Requests I made
        </button>
        <button role="tab" aria-selected={role === 'owner'} onClick={() => setParams({ role: 'owner' })}>
          Requests I received
        </button>
      </div>
      {requests.isPending ? (
        <Spinner label="Loading requests…" />
      ) : requests.isError ? (
        <ErrorMessage error={requests.error} />
      ) : items.length === 0 ? (
        <EmptyState title={role === 'owner' ? 'No requests received yet' : 'You have not sent any requests'}>
          <p>{role === 'owner' ? <Link to="/marketplace/new">Publish a listing</Link> : <Link to="/marketplace">Find something in the marketplace</Link>} to get started.</p>
        </EmptyState>
      ) : (
        <ul className="history" aria-label={role === 'owner' ? 'Requests I received' : 'Requests I made'}>
          {items.map((r) => (
            <RequestItem key={r.id} request={r} />
          ))}
        </ul>
      )}
      {requests.hasNextPage && (
        <Button busy={requests.isFetchingNextPage} onClick={() => void requests.fetchNextPage()}>
          More requests
        </Button>
      )}
    </main>
  );
}

function RequestItem({ request }: { request: ListingRequest }) {
  const me = useUser();
  const listing = useListing(request.listingId);
  const update = useUpdateRequest();
  const title = listing.data?.title ?? 'a listing';
  const other = request.ownerId === me.id ? request.requesterId : request.ownerId;
  const actions = requestActions(request, me.id);
  return (
    <li aria-label={`Request for ${title}`}>
      <p>
        <Link to={`/marketplace/${request.listingId}`}>{title}</Link> · {request.kind} · {formatMoney(request.price)} · <StatusBadge status={request.status} />
      </p>
      <p className="muted">
        {request.ownerId === me.id ? 'From' : 'To'} <UserName id={other} />: “{request.message}”
        {request.reason && ` — reason: ${request.reason}`}
      </p>
      <div className="actions">
        {actions.map((a) =>
          'pay' in a ? (
            <PayButton key="pay" request={request} />
          ) : (
            <Button
              key={a.status}
              className={a.status === 'declined' || a.status === 'cancelled' ? 'secondary' : undefined}
              busy={update.isPending && update.variables?.status === a.status}
              onClick={() => update.mutate({ id: request.id, status: a.status })}
            >
              {a.label}
            </Button>
          ),
        )}
      </div>
      <ErrorMessage error={update.error} />
      {request.status === 'completed' && <ReviewForm request={request} />}
    </li>
  );
}

/**
 * Pays into escrow. The Idempotency-Key is made when an attempt starts and kept while that attempt's answer is
 * unknown (a network failure: pressing again replays the same payment), then renewed once the server has answered.
 */
export function PayButton({ request }: { request: ListingRequest }) {
  const pay = usePayRequest();
  const key = useRef<string | null>(null);
  function start() {
    key.current ??= newIdempotencyKey();
    pay.mutate(
      { id: request.id, idempotencyKey: key.current },
      { onSuccess: () => (key.current = null), onError: (e) => void (isApiError(e) && (key.current = null)) },
    );
  }
  return (
    <>
      <Button busy={pay.isPending} onClick={start}>
        Pay {formatMoney(request.price)} into escrow
      </Button>
      {pay.isPending && <span role="status">Placing the payment in escrow…</span>}
      <ErrorMessage error={pay.error} />
    </>
  );
}

function ReviewForm({ request }: { request: ListingRequest }) {
  const review = useCreateReview(request.listingId);
  const { errorFor, formError } = useFormErrors(review.error);
  const [rating, setRating] = useState('5');
  const [text, setText] = useState('');
  if (review.data) return <p role="status">Thanks for your review.</p>;
  if (isApiError(review.error) && review.error.status === 409) return <p role="status">You have reviewed this request.</p>;
  function submit(e: FormEvent) {
    e.preventDefault();
    review.mutate({ requestId: request.id, rating: Number(rating), text });
  }
  return (
    <form onSubmit={submit} aria-label="Write a review" noValidate>
      <SelectField label="Rating" value={rating} onChange={(e) => setRating(e.target.value)} error={errorFor('rating')}>
        {[5, 4, 3, 2, 1].map((n) => (
          <option key={n} value={n}>
            {n} of 5
          </option>
        ))}
      </SelectField>
      <TextAreaField label="Review" value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} error={errorFor('text')} />
      <ErrorMessage error={formError} />
      <Button type="submit" busy={review.isPending}>
        Post review
      </Button>
    </form>
  );
}
