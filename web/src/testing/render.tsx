import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';

/** Renders with a fresh query client (no retries) and a router, as the app does. */
export function renderWithProviders(ui: ReactElement, { route = '/' }: { route?: string } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return {
    client,
    ...render(
      <QueryClientProvider client={client}>
        <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
      </QueryClientProvider>,
    ),
  };
}

/** A fetch stand-in answering by method and path, recording the calls: the components' HTTP boundary. */
export function mockFetch(routes: Record<string, (body: unknown, init: RequestInit) => { status: number; body?: unknown }>) {
  const calls: { method: string; path: string; body: unknown; headers: Record<string, string> }[] = [];
  const fetchMock = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init.method ?? 'GET').toUpperCase();
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: url.pathname + url.search, body, headers: (init.headers ?? {}) as Record<string, string> });
    const handler = routes[`${method} ${url.pathname}`];
    const result = handler ? handler(body, init) : { status: 404, body: { title: 'Not found', status: 404 } };
    const json = result.body === undefined ? '' : JSON.stringify(result.body);
    const contentType = result.status >= 400 ? 'application/problem+json' : 'application/json';
    return new Response(json || null, { status: result.status, headers: json ? { 'content-type': contentType } : {} });
  };
  globalThis.fetch = fetchMock as typeof fetch;
  return calls;
}
