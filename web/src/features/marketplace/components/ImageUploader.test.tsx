import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Listing } from '@/lib/api/types';
import { mockFetch, renderWithProviders } from '@/testing/render';
import { ImageUploader } from './ImageUploader';

/** XMLHttpRequest as the browser drives it: the test says when bytes go up and when the answer comes. */
class FakeXhr {
  static last: FakeXhr;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = '';
  responseText = '';
  withCredentials = false;
  private responseHeaders: Record<string, string> = {};
  upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }
  send(body: unknown) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    this.upload.onprogress?.({ loaded, total, lengthComputable: true });
  }
  respond(status: number, body: unknown, contentType = 'application/json') {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.responseHeaders['content-type'] = contentType;
    this.onload?.();
  }
}

const realXhr = globalThis.XMLHttpRequest;
afterEach(() => {
  globalThis.XMLHttpRequest = realXhr;
});

const listing = { id: 'l1', title: 'Bike', images: [] } as unknown as Listing;

describe('ImageUploader', () => {
  it('uploads the chosen file as multipart and shows its progress until the answer', async () => {
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
    mockFetch({ 'GET /api/listings/l1': () => ({ status: 200, body: listing }) });
    renderWithProviders(<ImageUploader listing={listing} />);
    const file = new File([new Uint8Array(1000)], 'bike.jpg', { type: 'image/jpeg' });
    await userEvent.setup().upload(screen.getByLabelText(/Add a photo/), file);

    const xhr = FakeXhr.last;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/listings/l1/images');
    expect((xhr.body as FormData).get('file')).toBe(file);
    expect(await screen.findByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('value', '0');

    act(() => xhr.progress(400, 1000));
    expect(screen.getByRole('progressbar', { name: 'Upload progress' })).toHaveAttribute('value', '40');
    expect(screen.getByRole('status')).toHaveTextContent('Uploading… 40%');
    act(() => xhr.progress(1000, 1000));
    expect(screen.getByRole('status')).toHaveTextContent('Uploading… 100%');

    act(() => xhr.respond(201, { id: 'i1', urls: { thumb: '/media/l1/i1-thumb.webp', card: '', full: '' } }));
    expect(await screen.findByText('Photo added.')).toHaveAttribute('role', 'status');
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it("shows the server's refusal (a text file named .jpg is a 415)", async () => {
    globalThis.XMLHttpRequest = FakeXhr as unknown as typeof XMLHttpRequest;
    mockFetch({ 'GET /api/listings/l1': () => ({ status: 200, body: listing }) });
    renderWithProviders(<ImageUploader listing={listing} />);
    await userEvent.setup().upload(screen.getByLabelText(/Add a photo/), new File(['hello'], 'notes.jpg', { type: 'image/jpeg' }));
    act(() => FakeXhr.last.respond(415, { title: 'Unsupported image.', status: 415, detail: 'Send a JPEG, PNG or WebP file.' }, 'application/problem+json'));
    expect(await screen.findByRole('alert')).toHaveTextContent('Unsupported image. Send a JPEG, PNG or WebP file.');
  });
});
