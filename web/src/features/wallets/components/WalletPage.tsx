import { useState } from 'react';
import { Button, EmptyState, ErrorMessage, SelectField, Spinner } from '@/components/ui';
import { useUser } from '@/lib/auth';
import { formatMoney } from '@/lib/money';
import { useOpenWallet, useWallets } from '../api/wallets';
import { History } from './History';
import { DepositForm, SendForm, WithdrawForm } from './WalletForms';

export function WalletPage() {
  const me = useUser();
  const wallets = useWallets();
  const open = useOpenWallet();
  const [selected, setSelected] = useState<string>();
  const [currency, setCurrency] = useState('EUR');

  if (wallets.isPending) return <Spinner label="Loading your wallets…" />;
  if (wallets.isError) return <ErrorMessage error={wallets.error} />;
  const wallet = wallets.data.find((w) => w.id === selected) ?? wallets.data[0];

  return (
    <main>
      <h1>Wallet</h1>
      {wallets.data.length === 0 ? (
        <EmptyState title="No wallet yet">
          <p role="status">Your first wallet is being opened; it appears here in a moment.</p>
        </EmptyState>
      ) : (
        <section aria-label="Balances">
          <ul className="cards">
            {wallets.data.map((w) => (
              <li key={w.id} aria-label={`${w.currency} wallet`} className={w.id === wallet?.id ? 'card selected' : 'card'}>
                <button type="button" onClick={() => setSelected(w.id)} aria-pressed={w.id === wallet?.id}>
                  {w.currency} wallet
                </button>
                <p>
                  Available: <strong data-testid={`available-${w.currency}`}>{formatMoney(w.available)}</strong>
                </p>
                <p>Pending: {formatMoney(w.pending)}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <details>
        <summary>Open a wallet in another currency</summary>
        <SelectField label="Currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
          {['USD', 'EUR', 'GBP', 'KES', 'NGN', 'GHS'].map((c) => (
            <option key={c}>{c}</option>
          ))}
        </SelectField>
        <Button type="button" busy={open.isPending} onClick={() => open.mutate(currency)}>
          Open wallet
        </Button>
        <ErrorMessage error={open.error} />
      </details>
      {wallet && (
        <div className="grid">
          <DepositForm key={`d-${wallet.id}`} wallet={wallet} />
          <SendForm key={`s-${wallet.id}`} wallet={wallet} me={me.id} />
          <WithdrawForm key={`w-${wallet.id}`} wallet={wallet} />
        </div>
      )}
      <History />
    </main>
  );
}
