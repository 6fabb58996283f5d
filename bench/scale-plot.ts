/**
 * scale-plot: the scale benchmark's figure (SVG): identify latency per 5-second clip
 * (p50 and p99, clips that match and clips that match nothing) and identify's peak RSS,
 * against index hours.
 */
import type { SizePoint } from './run-scale.js';

const W = 760;
const H = 300;
const PAD = { left: 56, right: 16, top: 28, bottom: 40 };

interface Series {
  name: string;
  colour: string;
  dash?: string;
  values: number[];
}

function panel(x0: number, width: number, title: string, unit: string, hours: number[], series: Series[]): string {
  const maxX = Math.max(...hours) * 1.05 || 1;
  const maxY = Math.max(1, ...series.flatMap((s) => s.values.filter(Number.isFinite))) * 1.15;
  const px = (h: number) => x0 + PAD.left + (h / maxX) * (width - PAD.left - PAD.right);
  const py = (v: number) => H - PAD.bottom - (v / maxY) * (H - PAD.top - PAD.bottom);
  const out: string[] = [];
  out.push(`<text x="${x0 + width / 2}" y="16" text-anchor="middle" font-size="13">${title}</text>`);
  out.push(`<line x1="${px(0)}" y1="${py(0)}" x2="${px(maxX)}" y2="${py(0)}" stroke="#444"/>`);
  out.push(`<line x1="${px(0)}" y1="${py(0)}" x2="${px(0)}" y2="${py(maxY)}" stroke="#444"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (maxY / 4) * i;
    out.push(`<text x="${px(0) - 6}" y="${py(v) + 4}" text-anchor="end" font-size="10">${v < 10 ? v.toFixed(1) : Math.round(v)}</text>`);
    if (i) out.push(`<line x1="${px(0)}" y1="${py(v)}" x2="${px(maxX)}" y2="${py(v)}" stroke="#ddd"/>`);
  }
  for (const h of hours) out.push(`<text x="${px(h)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${Math.round(h)}</text>`);
  out.push(`<text x="${x0 + width / 2}" y="${H - 8}" text-anchor="middle" font-size="11">index hours</text>`);
  out.push(`<text x="${x0 + 12}" y="${(H - PAD.bottom + PAD.top) / 2}" font-size="11" transform="rotate(-90 ${x0 + 12} ${(H - PAD.bottom + PAD.top) / 2})" text-anchor="middle">${unit}</text>`);
  series.forEach((s, k) => {
    const pts = hours.map((h, i) => [px(h), py(s.values[i])] as const).filter(([, y]) => Number.isFinite(y));
    out.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} points="${pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of pts) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3" fill="${s.colour}"/>`);
    out.push(`<text x="${px(0) + 8}" y="${PAD.top + 12 + 13 * k}" font-size="10" fill="${s.colour}">${s.name}</text>`);
  });
  return out.join('\n');
}

export function scalePlot(points: SizePoint[]): string {
  const hours = points.map((p) => p.hours);
  const latency = panel(0, W * 0.62, 'identify per 5-second clip (one call over all clips)', 'ms', hours, [
    { name: 'match p50', colour: '#1f77b4', values: points.map((p) => p.matches.p50) },
    { name: 'match p99', colour: '#1f77b4', dash: '5 3', values: points.map((p) => p.matches.p99) },
    { name: 'no match p50', colour: '#d62728', values: points.map((p) => p.nonMatches.p50) },
    { name: 'no match p99', colour: '#d62728', dash: '5 3', values: points.map((p) => p.nonMatches.p99) },
  ]);
  const memory = panel(W * 0.62, W * 0.38, 'identify peak RSS', 'MB', hours, [
    { name: 'peak RSS', colour: '#2ca02c', values: points.map((p) => Math.max(p.matches.rssMb, p.nonMatches.rssMb || 0)) },
  ]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n<rect width="${W}" height="${H}" fill="white"/>\n${latency}\n${memory}\n</svg>\n`;
}
