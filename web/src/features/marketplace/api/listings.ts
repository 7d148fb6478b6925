import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, query } from '@/lib/api-client';
import type { Listing, Page } from '@/lib/api/types';

export type ListingFilters = { q?: string; kind?: string; category?: string; city?: string; minPrice?: number; maxPrice?: number; sort?: string };

export function useListings(filters: ListingFilters) {
  return useInfiniteQuery({
    queryKey: ['listings', filters],
    queryFn: ({ pageParam, signal }) => api.get<Page<Listing>>(`/api/listings${query({ ...filters, limit: 20, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useListing(id: string) {
  return useQuery({ queryKey: ['listings', id], queryFn: ({ signal }) => api.get<Listing>(`/api/listings/${id}`, { signal }) });
}
