import { HubConnectionBuilder, LogLevel, type HubConnection } from '@microsoft/signalr';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, query } from '@/lib/api-client';
import { env } from '@/lib/env';
import { session } from '@/lib/auth';
import type { Conversation, Message, Notification, Page } from '@/lib/api/types';

export function useConversations() {
  return useQuery({ queryKey: ['conversations'], queryFn: ({ signal }) => api.get<Page<Conversation>>('/api/conversations?limit=50', { signal }) });
}

export function useMessages(conversationId: string) {
  return useInfiniteQuery({
    queryKey: ['conversations', conversationId, 'messages'],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Message>>(`/api/conversations/${conversationId}/messages${query({ limit: 50, before: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useNotifications() {
  return useQuery({
    queryKey: ['notifications'],
    queryFn: ({ signal }) => api.get<Page<Notification> & { unreadCount: number }>('/api/notifications?limit=20', { signal }),
    retry: false,
  });
}

/**
 * The chat hub (/hubs/chat, the access token as access_token in the query, as SignalR sends it): new messages and
 * notifications update the cached queries; the connection reconnects by itself.
 */
export function useChatHub() {
  const client = useQueryClient();
  const [hub, setHub] = useState<HubConnection | null>(null);
  const [typing, setTyping] = useState<Record<string, string>>({});

  useEffect(() => {
    const connection = new HubConnectionBuilder()
      .withUrl(`${env.apiBaseUrl}/hubs/chat`, { accessTokenFactory: () => session.getAccessToken() ?? '' })
      .withAutomaticReconnect()
      .configureLogging(LogLevel.Warning)
      .build();
    connection.on('message', (m: Message) => {
      void client.invalidateQueries({ queryKey: ['conversations', m.conversationId, 'messages'] });
      void client.invalidateQueries({ queryKey: ['conversations'], exact: true });
    });
    connection.on('notification', () => void client.invalidateQueries({ queryKey: ['notifications'] }));
    connection.on('typing', (t: { conversationId: string; userId: string }) => setTyping((s) => ({ ...s, [t.conversationId]: t.userId })));
    connection
      .start()
      .then(() => setHub(connection))
      .catch(() => setHub(null));
    return () => void connection.stop();
  }, [client]);

  return { hub, typing };
}
