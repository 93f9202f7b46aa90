import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flush, mockApi, mount, select, type } from '../../lib/testing.tsx';
import { ReportButton } from './ReportButton.tsx';

afterEach(() => vi.unstubAllGlobals());

describe('report button', () => {
  it('reports with a reason, the rule broken (from the guidelines) and a note', async () => {
    const calls = mockApi({
      'GET /communities/runners/guidelines': {
        version: 1,
        body: '',
        rules: [
          { number: 1, text: 'Be kind' },
          { number: 2, text: 'No spam' },
        ],
        createdAt: '2026-06-01T00:00:00.000Z',
        me: null,
      },
      'POST /reports': { id: 1, itemId: 1, weight: 2 },
    });
    const v = await mount(
      <ReportButton targetType="comment" targetId={12} slug="runners" what="this comment" />,
    );
    await act(async () => v.button(/^Report/)!.click());
    await flush();
    const form = v.container.querySelector('form')!;
    expect(form.getAttribute('aria-label')).toBe('Report this comment');
    const [reason, rule] = [...form.querySelectorAll('select')];
    expect([...rule!.options].map((o) => o.textContent)).toEqual(['—', '1. Be kind', '2. No spam']);
    await act(async () => select(reason!, 'harassment'));
    await act(async () => select(rule!, '1'));
    await act(async () => type(form.querySelector('textarea')!, ' Insults in every reply '));
    await act(async () => v.button('Send report')!.click());
    await flush();
    expect(calls.at(-1)).toEqual({
      method: 'POST',
      path: '/reports',
      body: {
        targetType: 'comment',
        targetId: 12,
        reason: 'harassment',
        ruleNumber: 1,
        note: 'Insults in every reply',
      },
    });
    expect(v.container.textContent).toContain('Reported. Thank you');
    await v.unmount();
  });

  it('sends a profile report to the community it was made in, and shows a refusal', async () => {
    const calls = mockApi({
      'GET /communities/runners/guidelines': {
        version: 1,
        body: '',
        rules: [],
        createdAt: '2026-06-01T00:00:00.000Z',
        me: null,
      },
      'POST /reports': new Response(
        JSON.stringify({ error: { code: 'ALREADY_REPORTED', message: 'You already reported this' } }),
        { status: 409 },
      ),
    });
    const v = await mount(<ReportButton targetType="user" targetId={5} slug="runners" what="@sam" />);
    await act(async () => v.button(/^Report/)!.click());
    await flush();
    await act(async () => v.button('Send report')!.click());
    await flush();
    expect(calls.at(-1)!.body).toEqual({
      targetType: 'user',
      targetId: 5,
      reason: 'spam',
      community: 'runners',
    });
    expect(v.container.querySelector('[role="alert"]')!.textContent).toBe('You already reported this');
    await v.unmount();
  });
});
