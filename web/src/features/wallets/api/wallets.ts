import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '@/lib/api-client';
import type { HistoryEntry, Money, Page, Transfer, Wallet } from '@/lib/api/types';

export const walletKeys = {
  all: ['payments'] as const,
  wallets: ['payments', 'wallets'] as const,
  history: (accountId?: string) => ['payments', 'history', accountId ?? 'all'] as const,
  transfer: (id: string) => ['payments', 'transfer', id] as const,
};

export function useWallets() {
  return useQuery({
    queryKey: walletKeys.wallets,
    queryFn: ({ signal }) => api.get<Wallet[] | Page<Wallet>>('/api/payments/accounts', { signal }),
    select: (data) => (Array.isArray(data) ? data : data.items),
    // A new account's first wallet is opened by an event shortly after sign-up: look again until it is there.
    refetchInterval: (q) => {
      const data = q.state.data;
      return data && (Array.isArray(data) ? data : data.items).length === 0 ? 1_000 : false;
    },
  });
}

export function useOpenWallet() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (currency: string) => api.post<Wallet>('/api/payments/accounts', { currency }),
    onSuccess: () => client.invalidateQueries({ queryKey: walletKeys.wallets }),
  });
}

/** Every money-moving call carries the Idempotency-Key made when the person started this action. */
type WithKey<T> = T & { idempotencyKey: string };

export type DepositBody = { accountId: string; amount: Money; source: { type: 'card' | 'bank' | 'mobileMoney'; token: string } };
export type SendBody = { fromAccountId: string; toUserId: string; amount: Money; memo?: string };
export type WithdrawBody = {
  accountId: string;
  amount: Money;
  destination: { type: 'bank'; accountNumber: string; routingNumber: string } | { type: 'mobileMoney'; phoneNumber: string };
};

function useMoneyMutation<T>(path: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ idempotencyKey, ...body }: WithKey<T>) => api.post<Transfer>(path, body, { idempotencyKey }),
    onSettled: () => client.invalidateQueries({ queryKey: walletKeys.all }),
  });
}

export const useDeposit = () => useMoneyMutation<DepositBody>('/api/payments/deposit');
export const useSend = () => useMoneyMutation<SendBody>('/api/payments/send');
export const useWithdraw = () => useMoneyMutation<WithdrawBody>('/api/payments/withdraw');

export function useHistory(accountId?: string) {
  return useInfiniteQuery({
    queryKey: walletKeys.history(accountId),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<HistoryEntry>>(`/api/payments/histories${query({ accountId, limit: 20, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One transfer; while it is pending, asked again every 2 s until it settles (then balances are refreshed). */
export function useTransfer(id: string | undefined) {
  const client = useQueryClient();
  return useQuery({
    queryKey: walletKeys.transfer(id ?? ''),
    enabled: !!id,
    queryFn: async ({ signal }) => {
      const transfer = await api.get<Transfer>(`/api/payments/transfers/${id}`, { signal });
      if (transfer.status !== 'pending') void client.invalidateQueries({ queryKey: walletKeys.wallets });
      return transfer;
    },
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? 2_000 : false),
  });
}
