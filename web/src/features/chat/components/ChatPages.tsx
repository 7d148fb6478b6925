import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, Field, Spinner } from '@/components/ui';
import { newIdempotencyKey } from '@/lib/api-client';
import type { Message, Page } from '@/lib/api/types';
import { useUser } from '@/lib/auth';
import { UserName } from '@/features/users/components/UserSearch';
import { chatKeys, sendMessageOverHttp, useConversation, useConversations, useMessages } from '../api/chat';
import { useChatHub } from '../hooks/hub';
import { insertMessage, timeline, type PendingMessage } from '../messages';

export function ConversationsPage() {
  const conversations = useConversations();
  const { online } = useChatHub();
  const me = useUser();
  return (
    <main>
      <h1>Messages</h1>
      {conversations.isPending ? (
        <Spinner label="Loading conversations…" />
      ) : conversations.isError ? (
        <ErrorMessage error={conversations.error} />
      ) : conversations.data.items.length === 0 ? (
        <EmptyState title="No conversations yet">
          <p>
            Message someone from a <Link to="/marketplace">listing</Link>, or talk with your <Link to="/communities">community</Link>.
          </p>
        </EmptyState>
      ) : (
        <ul aria-label="Conversations" className="history">
          {conversations.data.items.map((c) => {
            const unread = Number(c.unread);
            const othersOnline = c.participants.some((p) => p !== me.id && online.has(p));
            return (
              <li key={c.id}>
                <Link to={`/messages/${c.id}`} aria-label={`${c.title}${unread ? `, ${unread} unread` : ''}`}>
                  <span>
                    {c.title} {othersOnline && <span className="online">• online</span>}
                  </span>
                  {unread > 0 && <span className="badge">{unread}</span>}
                </Link>
                <small className="muted">{c.lastMessage?.text}</small>
              </li>
            );
          })}
        </ul>
      )}
    </main>
  );
}

/**
 * One conversation: its history and live messages (pushed by the hub), my messages shown at once and replaced by the
 * stored one (same clientMessageId, so a resend after a failure is never a second message), who is typing, receipts
 * ("Seen" under my last message once the other side has read it) and who is online.
 */
export function ConversationPage() {
  const { id = '' } = useParams();
  const me = useUser();
  const client = useQueryClient();
  const conversation = useConversation(id);
  const messages = useMessages(id);
  const { connection, typing, online } = useChatHub();
  const [text, setText] = useState('');
  const [pending, setPending] = useState<PendingMessage[]>([]);
  const [error, setError] = useState<unknown>(null);
  const lastTyping = useRef(0);

  const items = timeline(messages.data?.pages ?? [], pending, me.id);
  const stored = items.filter((m): m is Message => !('pending' in m));
  const lastSeq = stored.length ? Number(stored[stored.length - 1].seq) : 0;
  const readUpTo = conversation.data?.readUpTo ?? {};
  const myRead = Number(readUpTo[me.id] ?? 0);

  // What I see is read: tell the others (a receipt) once per new last message.
  useEffect(() => {
    if (!connection || lastSeq === 0 || lastSeq <= myRead) return;
    connection
      .invoke<number>('MarkRead', id, lastSeq)
      .then((upTo) => client.setQueryData(chatKeys.conversation(id), (c: typeof conversation.data) => (c ? { ...c, readUpTo: { ...c.readUpTo, [me.id]: upTo } } : c)))
      .then(() => client.invalidateQueries({ queryKey: chatKeys.conversations }))
      .catch(() => {});
  }, [connection, id, lastSeq, myRead, me.id, client]);

  async function deliver(message: PendingMessage) {
    setPending((p) => p.map((m) => (m.clientMessageId === message.clientMessageId ? { ...m, state: 'sending' } : m)));
    try {
      const stored = connection
        ? await connection.invoke<Message>('SendMessage', id, message.clientMessageId, message.text)
        : await sendMessageOverHttp(id, message.clientMessageId, message.text);
      client.setQueryData<InfiniteData<Page<Message>>>(chatKeys.messages(id), (data) => insertMessage(data, stored));
      setPending((p) => p.filter((m) => m.clientMessageId !== message.clientMessageId));
      setError(null);
    } catch (err) {
      setPending((p) => p.map((m) => (m.clientMessageId === message.clientMessageId ? { ...m, state: 'failed' } : m)));
      setError(err);
    }
  }

  function send(e: FormEvent) {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    const message: PendingMessage = { clientMessageId: newIdempotencyKey(), text: body, state: 'sending' };
    setPending((p) => [...p, message]);
    setText('');
    void deliver(message);
  }

  function typed(value: string) {
    setText(value);
    if (connection && Date.now() - lastTyping.current > 2_000) {
      lastTyping.current = Date.now();
      void connection.invoke('Typing', id).catch(() => {});
    }
  }

  const others = (conversation.data?.participants ?? []).filter((p) => p !== me.id);
  const myLast = [...stored].reverse().find((m) => m.senderId === me.id);
  const seen = myLast && others.some((p) => Number(readUpTo[p] ?? 0) >= Number(myLast.seq));
  const typist = typing[id];

  return (
    <main>
      <p>
        <Link to="/messages">← Messages</Link>
      </p>
      <h1>{conversation.data?.title ?? 'Conversation'}</h1>
      {others.length > 0 && (
        <p aria-label="Participants">
          {others.map((p) => (
            <span key={p}>
              <UserName id={p} /> {online.has(p) ? <span className="online">(online)</span> : <span className="muted">(offline)</span>}{' '}
            </span>
          ))}
        </p>
      )}
      {(messages.isError || conversation.isError) && <ErrorMessage error={messages.error ?? conversation.error} />}
      {messages.hasNextPage && (
        <Button className="secondary" busy={messages.isFetchingNextPage} onClick={() => void messages.fetchNextPage()}>
          Earlier messages
        </Button>
      )}
      {messages.isPending ? (
        <Spinner label="Loading messages…" />
      ) : items.length === 0 ? (
        <p>No messages yet: say hello.</p>
      ) : (
        <ol aria-label="Messages" aria-live="polite" className="chat">
          {items.map((m) =>
            'pending' in m ? (
              <li key={m.clientMessageId} className="mine">
                {m.text}
                <small>
                  {m.state === 'sending' ? (
                    'Sending…'
                  ) : (
                    <>
                      Not sent.{' '}
                      <button type="button" className="secondary" onClick={() => void deliver(m)}>
                        Retry
                      </button>
                    </>
                  )}
                </small>
              </li>
            ) : (
              <li key={m.id} className={m.senderId === me.id ? 'mine' : undefined}>
                <span className="visually-hidden">{m.senderId === me.id ? 'You' : <UserName id={m.senderId} />}: </span>
                {m.text}
                <small>
                  {new Date(m.sentAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
                  {m.id === myLast?.id && (seen ? ' · Seen' : ' · Sent')}
                </small>
              </li>
            ),
          )}
        </ol>
      )}
      {typist && typist !== me.id && (
        <p role="status">
          <UserName id={typist} /> is typing…
        </p>
      )}
      <form onSubmit={send} aria-label="Send a message">
        <Field label="Message" value={text} maxLength={4000} autoComplete="off" onChange={(e) => typed(e.target.value)} />
        <ErrorMessage error={error} />
        <Button type="submit">Send</Button>
        {!connection && <small className="muted">Connecting for live updates…</small>}
      </form>
    </main>
  );
}
