import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { Button, ErrorMessage, Field } from '@/components/ui';
import { useFormErrors } from '@/lib/form';
import { useSignIn } from '../api/auth';

const schema = z.object({
  email: z.string().trim().min(1, 'Enter your email address.'),
  password: z.string().min(1, 'Enter your password.'),
});

export function SignInForm({ onDone }: { onDone: () => void }) {
  const signIn = useSignIn();
  const { check, errorFor, formError } = useFormErrors(signIn.error);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    const body = check(schema, { email, password });
    if (body) signIn.mutate(body, { onSuccess: onDone });
  }

  return (
    <form onSubmit={submit} aria-label="Sign in" noValidate>
      <Field label="Email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} error={errorFor('email')} />
      <Field
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errorFor('password')}
      />
      <ErrorMessage error={formError} />
      <Button type="submit" busy={signIn.isPending}>
        Sign in
      </Button>
    </form>
  );
}
