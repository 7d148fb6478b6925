import type { HubConnection } from '@microsoft/signalr';
import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Conversation, Message, Page } from '@/lib/api/types';
import { env } from '@/lib/env';
import { session } from '@/lib/auth';
import { chatKeys } from '../api/chat';
import { insertMessage } from '../messages';

type TypingEvent = { conversationId: string; userId: string };
type ReadEvent = { conversationId: string; userId: string; seq: number };
type PresenceEvent = { userId: string; online: boolean };

export type ChatHub = {
  /** The live connection, or null while connecting (or when it cannot connect: the pages fall back to HTTP). */
  connection: HubConnection | null;
  online: ReadonlySet<string>;
  /** Who is typing where (cleared a few seconds after the last signal). */
  typing: Readonly<Record<string, string | undefined>>;
};

const HubContext = createContext<ChatHub>({ connection: null, online: new Set(), typing: {} });

export const useChatHub = () => useContext(HubContext);

const typingFor = 4_000;

/**
 * One connection to /hubs/chat per signed-in session, for every page: negotiated, WebSockets, the access token as
 * `access_token` in the query. Stateful reconnect: a socket that drops for a moment is replaced under the same
 * connection and the server replays what was pushed meanwhile (whichever Chat replica the new socket reaches; see
 * services/Ahod.Chat); a longer outage falls back to a new connection and a catch-up from the history. Pushed events
 * update the cached queries: a message joins its conversation's history (once, by id and clientMessageId), a receipt
 * moves readUpTo, a notification refreshes the bell. The SignalR client is loaded with this provider, after sign-in,
 * so the first page does not carry it.
 */
export function ChatHubProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [connection, setConnection] = useState<HubConnection | null>(null);
  const [online, setOnline] = useState<ReadonlySet<string>>(new Set());
  const [typing, setTyping] = useState<Record<string, string | undefined>>({});

  useEffect(() => {
    let stopped = false;
    let hub: HubConnection | undefined;
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    void (async () => {
      const signalr = await import('@microsoft/signalr');
      if (stopped) return;
      hub = new signalr.HubConnectionBuilder()
        .withUrl(`${env.apiBaseUrl}/hubs/chat`, {
          transport: signalr.HttpTransportType.WebSockets,
          accessTokenFactory: async () => session.getAccessToken() ?? (await session.refresh()) ?? '',
        })
        .withStatefulReconnect()
        .withAutomaticReconnect()
        .configureLogging(signalr.LogLevel.Warning)
        .build();
      hub.on('message', (m: Message) => {
        client.setQueryData<InfiniteData<Page<Message>>>(chatKeys.messages(m.conversationId), (data) => insertMessage(data, m));
        void client.invalidateQueries({ queryKey: chatKeys.conversations });
        setTyping((t) => (t[m.conversationId] === m.senderId ? { ...t, [m.conversationId]: undefined } : t));
      });
      hub.on('read', (r: ReadEvent) => {
        client.setQueryData<Conversation>(chatKeys.conversation(r.conversationId), (c) =>
          c ? { ...c, readUpTo: { ...c.readUpTo, [r.userId]: Math.max(Number(c.readUpTo[r.userId] ?? 0), Number(r.seq)) } } : c,
        );
        void client.invalidateQueries({ queryKey: chatKeys.conversations });
      });
      hub.on('typing', (t: TypingEvent) => {
        setTyping((s) => ({ ...s, [t.conversationId]: t.userId }));
        clearTimeout(timers.get(t.conversationId));
        timers.set(t.conversationId, setTimeout(() => setTyping((s) => ({ ...s, [t.conversationId]: undefined })), typingFor));
      });
      hub.on('presence', (p: PresenceEvent) =>
        setOnline((s) => {
          const next = new Set(s);
          if (p.online) next.add(p.userId);
          else next.delete(p.userId);
          return next;
        }),
      );
      hub.on('notification', () => void client.invalidateQueries({ queryKey: chatKeys.notifications }));
      hub.onreconnecting(() => setConnection(null));
      hub.onreconnected(() => {
        setConnection(hub!);
        // Anything sent while the socket was down is in the history: catch up from there.
        void client.invalidateQueries({ queryKey: ['chat'] });
      });
      try {
        await hub.start();
        if (!stopped) setConnection(hub);
      } catch {
        // Offline or refused: the pages keep working over HTTP (history, sending), without live updates.
      }
    })();
    return () => {
      stopped = true;
      timers.forEach(clearTimeout);
      setConnection(null);
      void hub?.stop();
    };
  }, [client]);

  const value = useMemo(() => ({ connection, online, typing }), [connection, online, typing]);
  return <HubContext.Provider value={value}>{children}</HubContext.Provider>;
}
