import { useEffect, useRef } from 'react';
import { Link } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, Spinner, StatusBadge } from '@/components/ui';
import { formatMoney } from '@/lib/money';
import { useHistory } from '../api/wallets';

const codes: Record<string, string> = {
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  send: 'Transfer',
  transfer: 'Transfer',
  contribution: 'Contribution',
  payout: 'Payout',
};

/** Newest first; the next page loads when the end of the list scrolls into view (or with the button). */
export function History({ accountId }: { accountId?: string }) {
  const history = useHistory(accountId);
  const end = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = history;

  useEffect(() => {
    const target = end.current;
    if (!target || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && hasNextPage && !isFetchingNextPage) void fetchNextPage();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (history.isPending) return <Spinner label="Loading your history…" />;
  if (history.isError) return <ErrorMessage error={history.error} />;
  const entries = history.data.pages.flatMap((p) => p.items);
  if (entries.length === 0) {
    return (
      <EmptyState title="No money has moved yet">
        <p>Add money to your wallet to get started, then send some to a friend.</p>
      </EmptyState>
    );
  }

  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ul className="history" aria-label="Transactions">
        {entries.map((e) => (
          <li key={e.id}>
            <Link to={`/wallet/transfers/${e.transferId}`}>
              <span>{codes[e.code] ?? e.code}</span>
              <span className={e.amount.amount < 0 ? 'debit' : 'credit'}>{formatMoney(e.amount)}</span>
            </Link>
            <small>
              {new Date(e.createdAt).toLocaleString()} · <StatusBadge status={e.pending ? 'pending' : e.status} /> · balance {formatMoney(e.balanceAfter)}
            </small>
          </li>
        ))}
      </ul>
      <div ref={end} />
      {hasNextPage && (
        <Button type="button" busy={isFetchingNextPage} onClick={() => void fetchNextPage()}>
          Load older transactions
        </Button>
      )}
    </section>
  );
}
