import { useState } from 'react';
import type { z } from 'zod';
import { isApiError } from './problem';

/**
 * Field errors of a form from two sources: the zod schema checked before sending, and the server's ProblemDetails
 * `errors` (camelCase paths) after. `errorFor('amount')` shows either next to its field.
 */
export function useFormErrors(serverError: unknown) {
  const [client, setClient] = useState<Record<string, string>>({});

  function check<S extends z.ZodTypeAny>(schema: S, values: unknown): z.infer<S> | null {
    const result = schema.safeParse(values);
    if (result.success) {
      setClient({});
      return result.data;
    }
    const errors: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.join('.');
      errors[key] ??= issue.message;
    }
    setClient(errors);
    return null;
  }

  function errorFor(field: string): string | undefined {
    if (client[field]) return client[field];
    if (isApiError(serverError)) {
      const messages = serverError.fieldErrors(field);
      if (messages.length) return messages.join(' ');
    }
    return undefined;
  }

  /** The server's error for the form as a whole (its title and detail); field messages show beside their fields. */
  const formError = serverError;

  return { check, errorFor, formError };
}
