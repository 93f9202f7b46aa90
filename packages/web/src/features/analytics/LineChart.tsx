import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: string;
}

/**
 * A time-series line chart (uPlot). `x` are the buckets' first days (YYYY-MM-DD); null values
 * (suppressed, fewer than k members) are drawn as gaps. The numbers are also in the table and
 * CSV next to it, so the chart is `aria-hidden` with a text summary for screen readers.
 */
export function LineChart({ title, x, series }: { title: string; x: string[]; series: ChartSeries[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = x.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 220,
      legend: { show: true },
      scales: { x: { time: true } },
      axes: [{}, { size: 50 }],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: false }))],
    };
    const chart = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = () => chart.setSize({ width: Math.max(280, el.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.destroy();
    };
  }, [x, series]);
  const last = series.map((s) => `${s.label}: ${s.values.at(-1) ?? 'suppressed'}`).join(', ');
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} className="chart-box" aria-hidden="true" />
      <p className="visually-hidden">
        {title}, {x.length} points from {x[0]} to {x.at(-1)}; latest {last}.
      </p>
    </figure>
  );
}
