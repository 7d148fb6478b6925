import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query } from '@/lib/api-client';
import type { Conversation, ConversationList, CreateConversationRequest, Message, NotificationPage, Page } from '@/lib/api/types';

export const chatKeys = {
  conversations: ['chat', 'conversations'] as const,
  conversation: (id: string) => ['chat', 'conversation', id] as const,
  messages: (id: string) => ['chat', 'messages', id] as const,
  notifications: ['chat', 'notifications'] as const,
};

export function useConversations() {
  return useQuery({ queryKey: chatKeys.conversations, queryFn: ({ signal }) => api.get<ConversationList>('/api/conversations?limit=50', { signal }) });
}

export function useConversation(id: string) {
  return useQuery({ queryKey: chatKeys.conversation(id), queryFn: ({ signal }) => api.get<Conversation>(`/api/conversations/${id}`, { signal }) });
}

export function useMessages(conversationId: string) {
  return useInfiniteQuery({
    queryKey: chatKeys.messages(conversationId),
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Message>>(`/api/conversations/${conversationId}/messages${query({ limit: 50, before: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Opens (or finds) a direct or listing conversation. */
export function useStartConversation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateConversationRequest) => api.post<Conversation>('/api/conversations', body),
    onSuccess: (c) => {
      client.setQueryData(chatKeys.conversation(c.id), c);
      void client.invalidateQueries({ queryKey: chatKeys.conversations });
    },
  });
}

/** Sends over HTTP, for when the hub is not connected; the same clientMessageId makes a resend return the first. */
export function sendMessageOverHttp(conversationId: string, clientMessageId: string, text: string) {
  return api.post<Message>(`/api/conversations/${conversationId}/messages`, { clientMessageId, text });
}

export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: chatKeys.notifications,
    queryFn: ({ signal }) => api.get<NotificationPage>('/api/notifications?limit=30', { signal }),
    enabled,
  });
}

export function useReadAllNotifications() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<void>('/api/notifications/read-all'),
    onSettled: () => void client.invalidateQueries({ queryKey: chatKeys.notifications }),
  });
}
