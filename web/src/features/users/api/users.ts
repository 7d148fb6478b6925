import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '@/lib/api-client';
import { session } from '@/lib/auth';
import type { Page, UpdateUserRequest, User } from '@/lib/api/types';

export function useUser(id: string | null | undefined) {
  return useQuery({
    queryKey: ['users', id],
    queryFn: ({ signal }) => api.get<User>(`/api/users/${id}`, { signal }),
    enabled: !!id,
    staleTime: 5 * 60_000,
  });
}

export function useUserSearch(q: string) {
  const term = q.trim();
  return useQuery({
    queryKey: ['users', 'search', term],
    queryFn: ({ signal }) => api.get<Page<User>>(`/api/users${query({ q: term })}`, { signal }),
    enabled: term.length >= 1,
    staleTime: 30_000,
  });
}

export function useUpdateProfile(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateUserRequest) => api.patch<User>(`/api/users/${id}`, body),
    onSuccess: (user) => {
      client.setQueryData(['users', id], user);
      session.updateUser(user);
    },
  });
}
