import type { InfiniteData } from '@tanstack/react-query';
import type { Message, Page } from '@/lib/api/types';

/** A message I am sending: shown at once, replaced by the stored message when it comes back (same clientMessageId). */
export type PendingMessage = { clientMessageId: string; text: string; state: 'sending' | 'failed' };

/** The same message from me, whether it came back from SendMessage, the hub's push or the history. */
function sameMessage(a: Pick<Message, 'id' | 'senderId' | 'clientMessageId'>, b: Pick<Message, 'id' | 'senderId' | 'clientMessageId'>) {
  return a.id === b.id || (a.senderId === b.senderId && a.clientMessageId === b.clientMessageId);
}

/**
 * Adds a stored message to the cached history (newest first, as the API pages it) unless it is there already: the
 * sender gets the message twice (SendMessage's answer and the hub's push), and a resend with the same clientMessageId
 * answers with the first message, so each message appears once.
 */
export function insertMessage(data: InfiniteData<Page<Message>, unknown> | undefined, message: Message): InfiniteData<Page<Message>, unknown> | undefined {
  if (!data) return data;
  if (data.pages.some((p) => p.items.some((m) => sameMessage(m, message)))) return data;
  const [first, ...rest] = data.pages;
  const items = [message, ...(first?.items ?? [])].sort((a, b) => Number(b.seq) - Number(a.seq));
  return { ...data, pages: [{ ...(first ?? { nextCursor: null }), items }, ...rest] };
}

/**
 * The conversation as shown, oldest first: stored messages once each (by id), then my pending ones that have not come
 * back yet (a pending message whose clientMessageId is stored from me is dropped: it is that message).
 */
export function timeline(pages: Page<Message>[], pending: PendingMessage[], me: string): (Message | (PendingMessage & { pending: true }))[] {
  const seen = new Set<string>();
  const stored: Message[] = [];
  for (const m of pages.flatMap((p) => p.items)) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    stored.push(m);
  }
  stored.sort((a, b) => Number(a.seq) - Number(b.seq));
  const mine = new Set(stored.filter((m) => m.senderId === me).map((m) => m.clientMessageId));
  return [...stored, ...pending.filter((p) => !mine.has(p.clientMessageId)).map((p) => ({ ...p, pending: true as const }))];
}
