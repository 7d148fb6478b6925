import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, newIdempotencyKey, query } from '@/lib/api-client';
import type { Community, CommunityListItem, Contribution, Cycle, Membership, Page, Plea } from '@/lib/api/types';
import { walletKeys } from '@/features/wallets/api/wallets';

export const communityKeys = {
  all: ['communities'] as const,
  list: (discover: boolean) => ['communities', 'list', discover] as const,
  one: (id: string) => ['communities', id] as const,
  cycles: (id: string) => ['communities', id, 'cycles'] as const,
  pleas: (id: string) => ['communities', id, 'pleas'] as const,
};

export function useCommunities(discover: boolean) {
  return useQuery({
    queryKey: communityKeys.list(discover),
    queryFn: ({ signal }) => api.get<Page<CommunityListItem>>(`/api/communities${query({ discover: discover || undefined, limit: 50 })}`, { signal }),
  });
}

export function useCommunity(id: string) {
  return useQuery({ queryKey: communityKeys.one(id), queryFn: ({ signal }) => api.get<Community>(`/api/communities/${id}`, { signal }) });
}

export function useCycles(id: string) {
  return useQuery({
    queryKey: communityKeys.cycles(id),
    queryFn: ({ signal }) => api.get<Page<Cycle>>(`/api/communities/${id}/cycles${query({ limit: 20 })}`, { signal }),
  });
}

export function usePleas(id: string) {
  return useQuery({
    queryKey: communityKeys.pleas(id),
    queryFn: ({ signal }) => api.get<Page<Plea>>(`/api/communities/${id}/pleas${query({ limit: 20 })}`, { signal }),
  });
}

export type CreateCommunityBody = Pick<Community, 'name' | 'goal' | 'contribution' | 'frequency' | 'payoutMethod' | 'maxMembers' | 'isPrivate'> & {
  bio?: string;
};

/** After any change to a community: it, its lists, and the wallets (money may have moved). */
function useCommunityMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: communityKeys.all });
      void client.invalidateQueries({ queryKey: walletKeys.all });
    },
  });
}

export const useCreateCommunity = () => useCommunityMutation((body: CreateCommunityBody) => api.post<Community>('/api/communities', body));

export const useJoinCommunity = () =>
  useCommunityMutation(({ id, inviteCode }: { id: string; inviteCode?: string }) =>
    api.post<Membership>(`/api/communities/${id}/join`, { inviteCode: inviteCode || null }),
  );

export const useLeaveCommunity = () => useCommunityMutation((id: string) => api.post<Membership>(`/api/communities/${id}/leave`));

export const useApproveMember = () =>
  useCommunityMutation(({ id, userId, approve }: { id: string; userId: string; approve: boolean }) =>
    api.post<Membership>(`/api/communities/${id}/members/${userId}/${approve ? 'approve' : 'decline'}`),
  );

export const useInvite = () =>
  useCommunityMutation(({ id, email }: { id: string; email: string }) => api.post<unknown>(`/api/communities/${id}/invites`, { email }));

/** Idempotent per member and cycle on the server; the key makes a retried click the same request. */
export const useContribute = () =>
  useCommunityMutation(({ id, key }: { id: string; key: string }) =>
    api.post<Contribution>(`/api/communities/${id}/contributions`, {}, { idempotencyKey: key }),
  );

export const usePayout = () =>
  useCommunityMutation(({ id, number }: { id: string; number: number }) =>
    api.post<Cycle>(`/api/communities/${id}/cycles/${number}/payout`, {}, { idempotencyKey: newIdempotencyKey() }),
  );

export const useCreatePlea = () =>
  useCommunityMutation(({ id, title, body }: { id: string; title: string; body: string }) => api.post<Plea>(`/api/communities/${id}/pleas`, { title, body }));

export const useVote = () =>
  useCommunityMutation(({ id, pleaId, inFavor }: { id: string; pleaId: string; inFavor: boolean }) =>
    api.post<Plea>(`/api/communities/${id}/pleas/${pleaId}/votes`, { inFavor }),
  );
