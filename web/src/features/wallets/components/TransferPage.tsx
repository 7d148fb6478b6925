import { Link, useParams } from 'react-router-dom';
import { ErrorMessage, Spinner, StatusBadge } from '@/components/ui';
import { formatMoney } from '@/lib/money';
import { useTransfer } from '../api/wallets';

export function TransferPage() {
  const { id } = useParams();
  const transfer = useTransfer(id);
  return (
    <main>
      <p>
        <Link to="/wallet">← Wallet</Link>
      </p>
      <h1>Transfer</h1>
      {transfer.isPending ? (
        <Spinner />
      ) : transfer.isError ? (
        <ErrorMessage error={transfer.error} />
      ) : (
        <dl className="details">
          <dt>Amount</dt>
          <dd>{formatMoney(transfer.data.amount)}</dd>
          <dt>Status</dt>
          <dd role="status">
            <StatusBadge status={transfer.data.status} />
          </dd>
          <dt>Kind</dt>
          <dd>{transfer.data.code}</dd>
          <dt>Created</dt>
          <dd>{new Date(transfer.data.createdAt).toLocaleString()}</dd>
          <dt>Reference</dt>
          <dd>
            <code>{transfer.data.id}</code>
          </dd>
        </dl>
      )}
    </main>
  );
}
