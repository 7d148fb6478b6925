/** RFC 9457 ProblemDetails as the services send them; `errors` is keyed by camelCase field path (`amount.amount`). */
export type ProblemDetails = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
};

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;

  constructor(status: number, problem: ProblemDetails) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The messages for one field, matching its path or anything under it (`amount` covers `amount.amount`). */
  fieldErrors(field: string): string[] {
    const errors = this.problem.errors ?? {};
    const lower = field.toLowerCase();
    return Object.entries(errors)
      .filter(([key]) => key.toLowerCase() === lower || key.toLowerCase().startsWith(lower + '.'))
      .flatMap(([, messages]) => messages);
  }

  /** A sentence for the form as a whole (title and detail), for errors not tied to a field. */
  get summary(): string {
    const { title, detail } = this.problem;
    if (title && detail && detail !== title) return `${title} ${detail}`;
    return detail || title || this.message;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export async function readProblem(response: Response): Promise<ProblemDetails> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return (await response.json()) as ProblemDetails;
    } catch {
      // fall through to a generic problem
    }
  }
  return { status: response.status, title: response.statusText || `Request failed (${response.status})` };
}
