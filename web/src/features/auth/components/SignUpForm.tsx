import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { Button, ErrorMessage, Field } from '@/components/ui';
import { useFormErrors } from '@/lib/form';
import { useSignUp } from '../api/auth';

export const signUpSchema = z
  .object({
    email: z.string().trim().email('Enter a valid email address.'),
    userName: z.string().regex(/^[a-z0-9_.-]{3,32}$/, "3-32 characters of a-z, 0-9, '_', '.' and '-'."),
    firstName: z.string().trim().min(1, 'Enter your first name.').max(100),
    lastName: z.string().trim().min(1, 'Enter your last name.').max(100),
    password: z.string().min(12, 'At least 12 characters.').max(128),
    passwordConfirmation: z.string(),
  })
  .refine((v) => v.password === v.passwordConfirmation, { path: ['passwordConfirmation'], message: 'The passwords do not match.' });

export function SignUpForm({ onDone }: { onDone: () => void }) {
  const signUp = useSignUp();
  const { check, errorFor, formError } = useFormErrors(signUp.error);
  const [values, setValues] = useState({ email: '', userName: '', firstName: '', lastName: '', password: '', passwordConfirmation: '' });
  const set = (name: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [name]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const body = check(signUpSchema, values);
    if (body) signUp.mutate(body, { onSuccess: onDone });
  }

  return (
    <form onSubmit={submit} aria-label="Sign up" noValidate>
      <Field label="Email" type="email" autoComplete="email" value={values.email} onChange={set('email')} error={errorFor('email')} />
      <Field label="User name" autoComplete="username" value={values.userName} onChange={set('userName')} error={errorFor('userName')} />
      <Field label="First name" autoComplete="given-name" value={values.firstName} onChange={set('firstName')} error={errorFor('firstName')} />
      <Field label="Last name" autoComplete="family-name" value={values.lastName} onChange={set('lastName')} error={errorFor('lastName')} />
      <Field label="Password" type="password" autoComplete="new-password" value={values.password} onChange={set('password')} error={errorFor('password')} />
      <Field
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        value={values.passwordConfirmation}
        onChange={set('passwordConfirmation')}
        error={errorFor('passwordConfirmation')}
      />
      <ErrorMessage error={formError} />
      <Button type="submit" busy={signUp.isPending}>
        Create account
      </Button>
    </form>
  );
}
