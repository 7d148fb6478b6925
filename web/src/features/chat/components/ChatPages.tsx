import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, EmptyState, ErrorMessage, Field, Spinner } from '@/components/ui';
import { newIdempotencyKey } from '@/lib/api-client';
import type { Message } from '@/lib/api/types';
import { useUser } from '@/lib/auth';
import { UserName } from '@/features/users/components/UserSearch';
import { useChatHub, useConversations, useMessages } from '../api/chat';

export function ConversationsPage() {
  const conversations = useConversations();
  return (
    <main>
      <h1>Messages</h1>
      {conversations.isPending ? (
        <Spinner />
      ) : conversations.isError ? (
        <ErrorMessage error={conversations.error} />
      ) : conversations.data.items.length === 0 ? (
        <EmptyState title="No conversations yet">
          <p>Message a seller from a listing, or talk with your community.</p>
        </EmptyState>
      ) : (
        <ul aria-label="Conversations" className="history">
          {conversations.data.items.map((c) => (
            <li key={c.id}>
              <Link to={`/messages/${c.id}`}>
                <span>{c.title}</span>
                {c.unread > 0 && <span aria-label={`${c.unread} unread`}>{c.unread}</span>}
              </Link>
              <small>{c.lastMessage?.text}</small>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

export function ConversationPage() {
  const { id = '' } = useParams();
  const me = useUser();
  const messages = useMessages(id);
  const { hub, typing } = useChatHub();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);

  async function send(e: FormEvent) {
    e.preventDefault();
    if (!hub || !text.trim()) return;
    try {
      await hub.invoke<Message>('SendMessage', id, newIdempotencyKey(), text.trim());
      setText('');
      setError(null);
    } catch (err) {
      setError(err);
    }
  }

  const items = (messages.data?.pages.flatMap((p) => p.items) ?? []).slice().reverse();
  return (
    <main>
      <p>
        <Link to="/messages">← Messages</Link>
      </p>
      <h1>Conversation</h1>
      {messages.isError && <ErrorMessage error={messages.error} />}
      <ol aria-label="Messages" aria-live="polite" className="history">
        {items.map((m) => (
          <li key={m.id}>
            <strong>{m.senderId === me.id ? 'You' : <UserName id={m.senderId} />}</strong>: {m.text}
          </li>
        ))}
      </ol>
      {typing[id] && typing[id] !== me.id && (
        <p role="status">
          <UserName id={typing[id]} /> is typing…
        </p>
      )}
      <form onSubmit={send} aria-label="Send a message">
        <Field label="Message" value={text} maxLength={4000} onChange={(e) => { setText(e.target.value); void hub?.invoke('Typing', id).catch(() => {}); }} />
        <ErrorMessage error={error} />
        <Button type="submit" disabled={!hub}>
          {hub ? 'Send' : 'Connecting…'}
        </Button>
      </form>
    </main>
  );
}
