import { z } from 'zod';

/** The build's environment, checked once: the API is same-origin unless VITE_API_BASE_URL says otherwise. */
const schema = z.object({
  VITE_API_BASE_URL: z.string().url().optional(),
});

const parsed = schema.parse({ VITE_API_BASE_URL: import.meta.env.VITE_API_BASE_URL || undefined });

export const env = {
  apiBaseUrl: (parsed.VITE_API_BASE_URL ?? '').replace(/\/$/, ''),
};
