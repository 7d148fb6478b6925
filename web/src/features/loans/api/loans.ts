import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Loan, LoansPage, Money } from '@/lib/api/types';

export function useLoans() {
  return useQuery({ queryKey: ['loans'], queryFn: ({ signal }) => api.get<LoansPage>('/api/loans?limit=50', { signal }) });
}

export type CreateLoanBody = { servicer: string; principal: Money; balance?: Money; rateBasisPoints: number; dueDay: number; monthlyPayment: Money };

export function useCreateLoan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateLoanBody) => api.post<Loan>('/api/loans', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['loans'] }),
  });
}
