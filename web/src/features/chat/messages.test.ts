import type { InfiniteData } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import type { Message, Page } from '@/lib/api/types';
import { insertMessage, timeline } from './messages';

const message = (seq: number, over: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  conversationId: 'c1',
  seq,
  senderId: 'ann',
  clientMessageId: `client-${seq}`,
  text: `hello ${seq}`,
  sentAt: '2026-12-02T10:00:00Z',
  ...over,
});

const history = (...pages: Message[][]): InfiniteData<Page<Message>, unknown> => ({ pages: pages.map((items): Page<Message> => ({ items, nextCursor: null })), pageParams: [undefined] });

describe('chat messages', () => {
  it('adds a pushed message once, newest first, however often it arrives', () => {
    let data = history([message(2), message(1)]);
    data = insertMessage(data, message(3))!;
    data = insertMessage(data, message(3))!; // SendMessage's answer, then the hub's push of the same message
    expect(data.pages[0].items.map((m) => m.seq)).toEqual([3, 2, 1]);
  });

  it('treats a resend (same sender and clientMessageId) as the message already there', () => {
    const data = history([message(1, { senderId: 'ann', clientMessageId: 'abc' })]);
    const resent = message(1, { id: 'm1', senderId: 'ann', clientMessageId: 'abc' });
    expect(insertMessage(data, resent)).toBe(data);
    // Another person may use the same client id: that is another message.
    const other = insertMessage(data, message(2, { senderId: 'bob', clientMessageId: 'abc' }))!;
    expect(other.pages[0].items).toHaveLength(2);
  });

  it('shows a pending message until the stored one with its clientMessageId arrives, and then only that one', () => {
    const pending = [{ clientMessageId: 'abc', text: 'hi', state: 'sending' as const }];
    const before = timeline([{ items: [message(1)], nextCursor: null }], pending, 'ann');
    expect(before.map((m) => ('pending' in m ? 'pending' : m.seq))).toEqual([1, 'pending']);

    const after = timeline([{ items: [message(2, { clientMessageId: 'abc', text: 'hi' }), message(1)], nextCursor: null }], pending, 'ann');
    expect(after.map((m) => ('pending' in m ? 'pending' : m.seq))).toEqual([1, 2]);
  });

  it('lists each stored message once, oldest first, across overlapping pages', () => {
    const items = timeline([{ items: [message(3), message(2)], nextCursor: '2' }, { items: [message(2), message(1)], nextCursor: null }], [], 'ann');
    expect(items.map((m) => ('pending' in m ? 'pending' : m.seq))).toEqual([1, 2, 3]);
  });
});
