import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FigureList } from './Figures.tsx';
import { SponsoredLabel } from './SponsoredLabel.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('partnerships components', () => {
  let el: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    el = document.createElement('div');
    document.body.append(el);
    root = createRoot(el);
  });
  afterEach(() => {
    act(() => root.unmount());
    el.remove();
  });

  it('shows "Sponsored · brand" linking to the brand, and nothing for unsponsored content', () => {
    act(() =>
      root.render(
        <SponsoredLabel sponsored={{ campaignId: 3, brand: { slug: 'acme', name: 'Acme <Shoes>' } }} />,
      ),
    );
    expect(el.querySelector('.sponsored-label')?.textContent).toBe('Sponsored · Acme <Shoes>');
    expect(el.querySelector('a')?.getAttribute('href')).toBe('/brands/acme');
    act(() => root.render(<SponsoredLabel sponsored={null} />));
    expect(el.innerHTML).toBe('');
  });

  it('gives every figure its explanation as the accessible description', () => {
    const figures = {
      contributions: 5,
      engagement: 9,
      followers: 0,
      engagementRate: 1.8,
      followerRate: null,
      reach: 3,
      sentiment: 0.5,
      growth: null,
      authenticity: 47.5,
      details: {},
      computedAt: '2026-06-01T00:00:00.000Z',
    };
    act(() =>
      root.render(
        <FigureList figures={figures} explanations={{ authenticity: 'Share of genuine engagement' }} />,
      ),
    );
    const button = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Authenticity')!;
    const tip = document.getElementById(button.getAttribute('aria-describedby')!);
    expect(tip?.textContent).toBe('Share of genuine engagement');
    expect(button.nextElementSibling?.textContent).toBe('48 / 100');
    // Missing figures show a dash, not 0.
    const per = [...el.querySelectorAll('button')].find((b) => b.textContent === 'Per follower')!;
    expect(per.nextElementSibling?.textContent).toBe('—');
  });
});
