/**
 * Small SVG charts drawn by hand for the self-contained report pages (no library, no DOM, no
 * network): grouped horizontal bars, and points per series with a line through each series' mean
 * per x. Pure functions: data in, an `<svg>` string out, sized by its viewBox (it scales to its
 * container's width). Text widths are estimated (no layout engine here): labels that would not fit
 * their margin are shortened, with the full text in the element's `<title>`.
 *
 * Colours and fonts come from the page's CSS by class (`series-0`, `series-1`, ...; `axis`, `grid`,
 * `tick`, `value`), so one chart serves a light and a dark page. Every chart is an `img` with a
 * `<title>` and a `<desc>`; each bar and point has its own `<title>` with its exact value.
 * Every text goes through `escapeHtml`.
 */
import { escapeHtml } from './html';

const e = escapeHtml;

/** The width of the drawing in viewBox units (CSS px at full size). */
const WIDTH = 760;
/** The chart font's size in px (svg.chart's CSS sets the same). */
const FONT = 12;

/**
 * An upper estimate of the width of `text` in px at the chart font (no layout engine here): per
 * character class, at the widths of DejaVu Sans, the widest of the fonts the page asks for.
 */
export function textWidth(text: string, size = FONT): number {
  let em = 0;
  for (const ch of text) {
    if ('MW\u2026'.includes(ch)) em += 1.0;
    else if ('mw@%'.includes(ch)) em += 0.92;
    else if (/[A-Z]/.test(ch)) em += 0.78;
    else if (" iljftr.,:;'|!()[]/\\-".includes(ch)) em += 0.4;
    else if (/[\u0000-\u024f]/.test(ch)) em += 0.64;
    else em += 1.0; // anything else: as wide as a wide letter
  }
  return em * size;
}

/** What every chart is given to be accessible. */
export interface ChartText {
  /** The SVG element's id (also the prefix of its title and description ids). */
  id: string;
  /** Short title (the SVG `<title>`). */
  title: string;
  /** What the chart shows, in a sentence (the SVG `<desc>`). */
  description: string;
}

/** One group of bars: a label and one value per series (null: nothing to show, with `missing`). */
export interface BarGroup {
  label: string;
  values: ReadonlyArray<number | null>;
  /** Each bar's `<title>` (the exact figures behind the value). */
  details: readonly string[];
}

export interface BarChart extends ChartText {
  series: readonly string[];
  groups: readonly BarGroup[];
  /** The value axis's label. */
  axisLabel: string;
  /** A value as shown at the end of its bar and on the ticks. */
  format: (v: number, step: number) => string;
  /** The axis's upper end when every value is 0 or missing. */
  emptyMax: number;
  /** What a missing value's place says. */
  missing: string;
}

/** One point: its coordinates and its `<title>`. */
export interface Point {
  x: number;
  y: number;
  detail: string;
}

export interface PointChart extends ChartText {
  series: ReadonlyArray<{ name: string; points: readonly Point[] }>;
  xLabel: string;
  yLabel: string;
  xFormat: (v: number, step: number) => string;
  yFormat: (v: number, step: number) => string;
  /** The y axis's upper end when every value is 0. */
  emptyMax: number;
}

/** Ticks from 0 or `lo` to at least `hi` at a 1-2-5 step, about `count` of them. */
export function niceTicks(lo: number, hi: number, count: number, integer = false): { ticks: number[]; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(lo / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t < hi + step - 1e-9 * step; t += step) ticks.push(Number(t.toPrecision(12)));
  return { ticks, step };
}

/** `text` shortened in the middle (start and end are kept: a path's file name stays) to fit `width` px. */
function fit(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  const chars = [...text];
  let head = Math.ceil(chars.length / 2);
  let tail = chars.length - head;
  while (head + tail > 1 && textWidth(chars.slice(0, head).join('') + '\u2026' + chars.slice(chars.length - tail).join('')) > width) {
    if (head >= tail) head--;
    else tail--;
  }
  return chars.slice(0, head).join('') + '\u2026' + chars.slice(chars.length - tail).join('');
}

const px = (v: number) => Number(v.toFixed(1));

function open(c: ChartText, width: number, height: number): string {
  return (
    `<svg id="${e(c.id)}" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${e(c.id)}-title ${e(c.id)}-desc" preserveAspectRatio="xMinYMin meet">` +
    `<title id="${e(c.id)}-title">${e(c.title)}</title><desc id="${e(c.id)}-desc">${e(c.description)}</desc>`
  );
}

/** A legend row at (x, y): a marker and the name of each series. */
function legend(series: readonly string[], x: number, y: number, marker: (i: number, cx: number, cy: number) => string): string {
  let at = x;
  const items = series.map((name, i) => {
    const item = `<g class="legend-item series-${i}">${marker(i, at + 6, y - 4)}<text class="legend-text" x="${px(at + 16)}" y="${y}">${e(name)}</text></g>`;
    at += 16 + textWidth(name) + 18;
    return item;
  });
  return `<g class="legend">${items.join('')}</g>`;
}

/** A point's marker: circle, square, triangle, diamond by series (shape and colour both tell). */
function marker(i: number, cx: number, cy: number, r = 4, cls = 'mark'): string {
  switch (i % 4) {
    case 0:
      return `<circle class="${cls}" cx="${px(cx)}" cy="${px(cy)}" r="${r}"/>`;
    case 1:
      return `<rect class="${cls}" x="${px(cx - r)}" y="${px(cy - r)}" width="${2 * r}" height="${2 * r}"/>`;
    case 2:
      return `<path class="${cls}" d="M${px(cx)} ${px(cy - r - 1)}L${px(cx + r + 1)} ${px(cy + r)}L${px(cx - r - 1)} ${px(cy + r)}Z"/>`;
    default:
      return `<path class="${cls}" d="M${px(cx)} ${px(cy - r - 1)}L${px(cx + r + 1)} ${px(cy)}L${px(cx)} ${px(cy + r + 1)}L${px(cx - r - 1)} ${px(cy)}Z"/>`;
  }
}

/**
 * Grouped horizontal bars: one band per group (its label on the left), one bar per series in it,
 * the value at the bar's end; a value axis with grid lines below. Bars are `rect.bar` with
 * `data-group` and `data-series`; a missing value draws no bar.
 */
export function groupedBarChart(c: BarChart): string {
  const n = Math.max(1, c.series.length);
  const barH = 14;
  const band = n * barH + 12;
  // the label margin: as wide as the longest label, between 60 and 240 px
  const labelW = Math.min(240, Math.max(60, ...c.groups.map((g) => textWidth(g.label))));
  const left = Math.ceil(labelW) + 14;
  const right = 64; // room for the value at the end of the longest bar
  const top = 34;
  const plotW = WIDTH - left - right;
  const plotH = Math.max(1, c.groups.length) * band;
  const height = top + plotH + 48;
  const present = c.groups.flatMap((g) => g.values.filter((v): v is number => v !== null));
  const max = Math.max(0, ...present);
  const { ticks, step } = niceTicks(0, max > 0 ? max : c.emptyMax, 5);
  const end = ticks[ticks.length - 1];
  const xOf = (v: number) => left + (v / end) * plotW;
  const out = [open(c, WIDTH, height)];
  out.push(legend(c.series, left, 18, (i, cx, cy) => `<rect class="swatch" x="${px(cx - 6)}" y="${px(cy - 6)}" width="12" height="12"/>`));
  const grid = ticks.map((t) => {
    const x = px(xOf(t));
    return `<line class="grid" x1="${x}" y1="${top}" x2="${x}" y2="${top + plotH}"/><text class="tick" x="${x}" y="${top + plotH + 16}" text-anchor="middle">${e(c.format(t, step))}</text>`;
  });
  out.push(`<g class="x-axis">${grid.join('')}<line class="axis" x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/></g>`);
  out.push(`<text class="axis-label" x="${px(left + plotW / 2)}" y="${top + plotH + 38}" text-anchor="middle">${e(c.axisLabel)}</text>`);
  if (c.groups.length === 0)
    out.push(`<text class="empty" x="${px(left + plotW / 2)}" y="${top + band / 2 + 4}" text-anchor="middle">no workloads</text>`);
  c.groups.forEach((g, gi) => {
    const y0 = top + gi * band + 6;
    const bars = c.series.map((_, si) => {
      const v = g.values[si] ?? null;
      const y = y0 + si * barH;
      const detail = `<title>${e(`${g.label}, ${c.series[si]}: ${g.details[si] ?? ''}`)}</title>`;
      if (v === null)
        return `<g class="series-${si}">${detail}<text class="missing" x="${left + 4}" y="${px(y + barH - 3)}">${e(c.missing)}</text></g>`;
      const w = Math.max(0, xOf(v) - left);
      return (
        `<g class="series-${si}">${detail}<rect class="bar" data-group="${gi}" data-series="${si}" x="${left}" y="${px(y + 1)}" width="${px(w)}" height="${barH - 2}"/>` +
        `<text class="value" x="${px(left + w + 4)}" y="${px(y + barH - 3)}">${e(c.format(v, 0))}</text></g>`
      );
    });
    out.push(
      `<g class="group" data-group="${gi}"><title>${e(g.label)}</title><text class="group-label" x="${left - 8}" y="${px(y0 + (n * barH) / 2 + 4)}" text-anchor="end">${e(fit(g.label, labelW))}</text></g>` +
        bars.join(''),
    );
  });
  out.push(`<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/>`);
  out.push('</svg>');
  return out.join('');
}

/** Past this many distinct x values the trend line is drawn through bins of x, not every value. */
const MAX_TREND_POINTS = 8;

/**
 * A series' trend: the mean y per distinct x, or, with more than MAX_TREND_POINTS distinct x
 * values (history lengths, say), the mean x and mean y of each of MAX_TREND_POINTS / 2 equal-width
 * bins of x (equal in log x on a log scale), so that the line shows the growth, not the noise.
 */
export function trend(points: readonly Point[], log = false): Array<readonly [number, number]> {
  const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const distinct = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  if (distinct.length <= MAX_TREND_POINTS) return distinct.map((x) => [x, mean(points.filter((p) => p.x === x).map((p) => p.y))] as const);
  const f = log ? Math.log10 : (v: number) => v;
  const lo = f(distinct[0]);
  const hi = f(distinct[distinct.length - 1]);
  const bins = MAX_TREND_POINTS / 2;
  const groups: Point[][] = Array.from({ length: bins }, () => []);
  for (const p of points) groups[Math.min(bins - 1, Math.floor(((f(p.x) - lo) / (hi - lo)) * bins))].push(p);
  return groups.filter((g) => g.length > 0).map((g) => [mean(g.map((p) => p.x)), mean(g.map((p) => p.y))] as const);
}

/**
 * Points per series over a numeric x (a log scale when x spans two decades or more), the series
 * told apart by colour and marker shape, slightly offset sideways so that equal points of two
 * series stay visible; a line follows each series' trend (`trend`). Points are `.pt` with
 * `data-series`.
 */
export function pointChart(c: PointChart): string {
  const left = 70;
  const right = 24;
  const top = 34;
  const plotH = 240;
  const height = top + plotH + 56;
  const plotW = WIDTH - left - right;
  const all = c.series.flatMap((s) => s.points);
  const out = [open(c, WIDTH, height)];
  out.push(legend(c.series.map((s) => s.name), left, 18, (i, cx, cy) => marker(i, cx, cy)));
  const xs = all.map((p) => p.x);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const log = xMin > 0 && xMax / xMin >= 100;
  const yMax = Math.max(0, ...all.map((p) => p.y));
  const y = niceTicks(0, yMax > 0 ? yMax : c.emptyMax, 5);
  const yEnd = y.ticks[y.ticks.length - 1];
  const yOf = (v: number) => top + plotH - (v / yEnd) * plotH;
  let xOf: (v: number) => number;
  let xTicks: number[];
  let xStep: number;
  const inset = 14; // points at the ends stay clear of the axes
  if (log) {
    const lo = Math.floor(Math.log10(xMin));
    const hi = Math.ceil(Math.log10(xMax));
    xTicks = [];
    for (let k = lo; k <= hi; k++) for (const m of hi - lo <= 2 ? [1, 2, 5] : [1]) if (m * 10 ** k <= 10 ** hi) xTicks.push(m * 10 ** k);
    xStep = 0;
    xOf = (v) => left + inset + ((Math.log10(v) - lo) / Math.max(1e-9, hi - lo)) * (plotW - 2 * inset);
  } else {
    const integer = xs.every((v) => Number.isInteger(v));
    // one x value alone still gets an axis around it
    const t = xMin === xMax ? niceTicks(xMin - 1, xMax + 1, 2, integer) : niceTicks(xMin, xMax, 6, integer);
    xTicks = t.ticks;
    xStep = t.step;
    const a = xTicks[0];
    const b = xTicks[xTicks.length - 1];
    xOf = (v) => left + inset + ((v - a) / (b - a)) * (plotW - 2 * inset);
  }
  const grid = y.ticks.map((t) => {
    const yy = px(yOf(t));
    return `<line class="grid" x1="${left}" y1="${yy}" x2="${left + plotW}" y2="${yy}"/><text class="tick" x="${left - 6}" y="${px(yy + 4)}" text-anchor="end">${e(c.yFormat(t, y.step))}</text>`;
  });
  const xGrid = xTicks.map((t) => {
    const xx = px(xOf(t));
    return `<line class="grid" x1="${xx}" y1="${top}" x2="${xx}" y2="${top + plotH}"/><text class="tick" x="${xx}" y="${top + plotH + 16}" text-anchor="middle">${e(c.xFormat(t, xStep))}</text>`;
  });
  out.push(`<g class="y-axis">${grid.join('')}</g><g class="x-axis">${xGrid.join('')}</g>`);
  out.push(
    `<line class="axis" x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/><line class="axis" x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/>`,
  );
  out.push(`<text class="axis-label" x="${px(left + plotW / 2)}" y="${top + plotH + 40}" text-anchor="middle">${e(c.xLabel)}${log ? ' (log scale)' : ''}</text>`);
  out.push(`<text class="axis-label" transform="translate(16 ${px(top + plotH / 2)}) rotate(-90)" text-anchor="middle">${e(c.yLabel)}</text>`);
  if (all.length === 0) out.push(`<text class="empty" x="${px(left + plotW / 2)}" y="${px(top + plotH / 2)}" text-anchor="middle">no workloads of a randomized family</text>`);
  const k = c.series.length;
  c.series.forEach((s, si) => {
    const dx = (si - (k - 1) / 2) * 5;
    const means = trend(s.points, log);
    const line = means.length > 1 ? `<polyline class="mean" points="${means.map(([x, m]) => `${px(xOf(x) + dx)},${px(yOf(m))}`).join(' ')}"/>` : '';
    const pts = s.points.map((p) => `<g class="pt" data-series="${si}"><title>${e(p.detail)}</title>${marker(si, xOf(p.x) + dx, yOf(p.y))}</g>`);
    out.push(`<g class="series series-${si}">${line}${pts.join('')}</g>`);
  });
  out.push('</svg>');
  return out.join('');
}
