import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { mockFetch, renderWithProviders } from '@/testing/render';
import { SignUpForm } from './SignUpForm';

async function fill() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), 'ann@example.com');
  await user.type(screen.getByLabelText('User name'), 'ann');
  await user.type(screen.getByLabelText('First name'), 'Ann');
  await user.type(screen.getByLabelText('Last name'), 'Student');
  await user.type(screen.getByLabelText('Password'), 'correct horse battery');
  await user.type(screen.getByLabelText('Confirm password'), 'correct horse battery');
  return user;
}

describe('SignUpForm', () => {
  it('shows the check next to the field and sends nothing when passwords differ', async () => {
    const calls = mockFetch({});
    renderWithProviders(<SignUpForm onDone={() => {}} />);
    const user = await fill();
    await user.type(screen.getByLabelText('Confirm password'), 'x');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(screen.getByLabelText('Confirm password')).toHaveAccessibleDescription('The passwords do not match.');
    expect(screen.getByLabelText('Confirm password')).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });

  it("shows the server's field error from ProblemDetails next to the field", async () => {
    mockFetch({
      'POST /api/auth/signup': () => ({
        status: 409,
        body: { title: 'Already registered.', status: 409, errors: { email: ['This email is already registered.'] } },
      }),
    });
    const onDone = vi.fn();
    renderWithProviders(<SignUpForm onDone={onDone} />);
    const user = await fill();
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('This email is already registered.')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('This email is already registered.');
    expect(screen.getByRole('alert')).toHaveTextContent('Already registered.');
    expect(onDone).not.toHaveBeenCalled();
  });
});
