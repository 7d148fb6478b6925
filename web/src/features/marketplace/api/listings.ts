import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, query } from '@/lib/api-client';
import type {
  CreateListingRequest,
  CreateRequestBody,
  CreateReviewRequest,
  Listing,
  ListingImage,
  ListingRequest,
  Page,
  Payment,
  Review,
  UpdateListingRequest,
} from '@/lib/api/types';
import { uploadFile, type UploadProgress } from '@/lib/upload';

export type ListingFilters = {
  q?: string;
  kind?: string;
  category?: string;
  city?: string;
  minPrice?: number;
  maxPrice?: number;
  currency?: string;
  sort?: string;
  ownerId?: string;
  status?: string;
};

/** Published listings matching the filters, 20 a page; the next page continues from the server's cursor. */
export function useListings(filters: ListingFilters) {
  return useInfiniteQuery({
    queryKey: ['listings', 'search', filters],
    queryFn: ({ pageParam, signal }) => api.get<Page<Listing>>(`/api/listings${query({ ...filters, limit: 20, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useListing(id: string | undefined) {
  return useQuery({
    queryKey: ['listings', id],
    queryFn: ({ signal }) => api.get<Listing>(`/api/listings/${id}`, { signal }),
    enabled: !!id,
  });
}

export function useCreateListing() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateListingRequest) => api.post<Listing>('/api/listings', body),
    onSuccess: (listing) => {
      client.setQueryData(['listings', listing.id], listing);
      void client.invalidateQueries({ queryKey: ['listings', 'search'] });
    },
  });
}

/** Edits, publishes (`status: published`) or closes (`status: closed`) my listing. */
export function useUpdateListing(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateListingRequest) => api.patch<Listing>(`/api/listings/${id}`, body),
    onSuccess: (listing) => {
      client.setQueryData(['listings', id], listing);
      void client.invalidateQueries({ queryKey: ['listings', 'search'] });
    },
  });
}

/** One image upload with its progress (0-100) while the bytes go up; the listing is refetched after. */
export function useImageUpload(listingId: string) {
  const client = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const mutation = useMutation({
    mutationFn: (file: File) => {
      setProgress({ loaded: 0, total: file.size, percent: 0 });
      return uploadFile<ListingImage>(`/api/listings/${listingId}/images`, file, { onProgress: setProgress });
    },
    onSettled: () => void client.invalidateQueries({ queryKey: ['listings', listingId] }),
  });
  return { ...mutation, progress };
}

export function useDeleteImage(listingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (imageId: string) => api.delete<void>(`/api/listings/${listingId}/images/${imageId}`),
    onSettled: () => void client.invalidateQueries({ queryKey: ['listings', listingId] }),
  });
}

export function useReviews(listingId: string) {
  return useQuery({
    queryKey: ['listings', listingId, 'reviews'],
    queryFn: ({ signal }) => api.get<Page<Review>>(`/api/listings/${listingId}/reviews?limit=50`, { signal }),
  });
}

export function useCreateReview(listingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateReviewRequest) => api.post<Review>(`/api/listings/${listingId}/reviews`, body),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['listings', listingId] });
      void client.invalidateQueries({ queryKey: ['reviews', 'mine'] });
    },
  });
}

// Requests (buy, rent, apply, hire) and their escrow payment.

export type RequestRole = 'requester' | 'owner';

export function useRequests(role: RequestRole) {
  return useInfiniteQuery({
    queryKey: ['requests', role],
    queryFn: ({ pageParam, signal }) => api.get<Page<ListingRequest>>(`/api/requests${query({ role, limit: 20, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCreateRequest(listingId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRequestBody) => api.post<ListingRequest>(`/api/listings/${listingId}/requests`, body),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['requests'] }),
  });
}

export function useUpdateRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status, reason }: { id: string; status: string; reason?: string }) =>
      api.patch<ListingRequest>(`/api/requests/${id}`, { status, reason }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['requests'] }),
  });
}

/** Pays an accepted request into escrow (a hold in Payments); the key is the attempt's, so a retry replays it. */
export function usePayRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, idempotencyKey }: { id: string; idempotencyKey: string }) =>
      api.post<Payment>(`/api/requests/${id}/payment`, {}, { idempotencyKey }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['requests'] });
      void client.invalidateQueries({ queryKey: ['payments'] });
    },
  });
}
