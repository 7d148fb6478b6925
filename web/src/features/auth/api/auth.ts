import { useMutation } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { session } from '@/lib/auth';
import type { AuthResult, SignInRequest, SignUpRequest } from '@/lib/api/types';

export function useSignUp() {
  return useMutation({
    mutationFn: (body: SignUpRequest) => api.post<AuthResult>('/api/auth/signup', body, { anonymous: true }),
    onSuccess: (result) => session.accept(result),
  });
}

export function useSignIn() {
  return useMutation({
    mutationFn: (body: SignInRequest) => api.post<AuthResult>('/api/auth/signin', body, { anonymous: true }),
    onSuccess: (result) => session.accept(result),
  });
}

export function useVerifyEmail() {
  return useMutation({
    mutationFn: (body: { email: string; token: string }) => api.post<unknown>('/api/auth/verify-email', body, { anonymous: true }),
  });
}

export function useResendVerification() {
  return useMutation({ mutationFn: () => api.post<unknown>('/api/auth/verify-email/resend') });
}
