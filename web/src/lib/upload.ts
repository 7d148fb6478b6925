import { env } from './env';
import { getTokenSource } from './api-client';
import { ApiError, type ProblemDetails } from './problem';

export type UploadProgress = { loaded: number; total: number; percent: number };

/**
 * A multipart upload (one file in the field `file`) with progress: fetch cannot report upload progress, so this is
 * XMLHttpRequest. Like the API client it sends the access token, refreshes once on a 401 and turns an error answer
 * into an {@link ApiError} carrying the ProblemDetails.
 */
export async function uploadFile<T>(
  path: string,
  file: File,
  options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<T> {
  const tokens = getTokenSource();
  let answer = await send(path, file, tokens.getAccessToken(), options);
  if (answer.status === 401) {
    const fresh = await tokens.refresh();
    if (fresh) answer = await send(path, file, fresh, options);
  }
  if (answer.status < 200 || answer.status >= 300) {
    throw new ApiError(answer.status, problemOf(answer));
  }
  return (answer.body ? JSON.parse(answer.body) : undefined) as T;
}

type Answer = { status: number; statusText: string; body: string; contentType: string };

function send(path: string, file: File, token: string | null, options: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal }) {
  return new Promise<Answer>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', env.apiBaseUrl + path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      const total = e.lengthComputable ? e.total : file.size;
      options.onProgress?.({ loaded: e.loaded, total, percent: total ? Math.min(100, Math.round((e.loaded / total) * 100)) : 0 });
    };
    xhr.onload = () =>
      resolve({ status: xhr.status, statusText: xhr.statusText, body: xhr.responseText, contentType: xhr.getResponseHeader('content-type') ?? '' });
    xhr.onerror = () => reject(new Error('The upload failed: check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

function problemOf(answer: Answer): ProblemDetails {
  if (answer.contentType.includes('json') && answer.body) {
    try {
      return JSON.parse(answer.body) as ProblemDetails;
    } catch {
      // fall through
    }
  }
  return { status: answer.status, title: answer.statusText || `Upload failed (${answer.status})` };
}
