import { request } from '../../lib/api.ts';

export interface Consent {
  analytics: boolean;
  /** False until the member chose (privacy by default: not granted). */
  answered: boolean;
  updatedAt: string | null;
  retentionDays: number;
  history: { kind: string; granted: boolean; changedAt: string }[];
}

export const privacyApi = {
  consent: () => request<Consent>('GET', '/me/consent'),
  setConsent: (analytics: boolean) => request<Consent>('PUT', '/me/consent', { analytics }),
  erase: (password: string, content: 'anonymise' | 'delete') =>
    request<{ ok: boolean }>('POST', '/me/erase', { password, content }),
  exportUrl: '/api/v1/me/export',
};
