import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A small time-series chart (uPlot, pinned): one line per series over UTC days. Its width
 * follows its container, so it fits a phone and a desktop; the numbers are also in the table.
 */
export function DailyChart({
  days,
  series,
  label,
}: {
  days: string[];
  series: { name: string; values: number[]; color: string }[];
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || !days.length) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const width = () => Math.max(280, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        series: [
          {},
          ...series.map((s) => ({ label: s.name, stroke: s.color, width: 2, points: { show: true } })),
        ],
        axes: [{}, { size: 50 }],
        scales: { x: { time: true } },
      },
      [xs, ...series.map((s) => s.values)],
      el,
    );
    const onResize = () => plot.setSize({ width: width(), height: 220 });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    };
  }, [days, series]);
  return (
    <figure className="chart" aria-label={label}>
      <div ref={box} />
      {!days.length && <p className="muted">No activity yet.</p>}
    </figure>
  );
}
