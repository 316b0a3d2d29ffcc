// Axis ticks at "nice" values (1, 2 or 5 times a power of ten) and their labels.
//
// The axis range is widened to whole ticks so the data never touches the frame mid-step. Integer
// axes (read lengths, read counts) never get fractional steps. Large values are labelled with k/M
// suffixes so that tick labels stay short ('250k', '1.5M').

export interface AxisTicks {
  /** Lower and upper end of the axis, both tick values. */
  domain: [number, number];
  step: number;
  ticks: number[];
}

const STEP_MULTIPLIERS = [1, 2, 5, 10];

/** Ticks covering [lo, hi] with about `target` intervals. */
export function niceTicks(lo: number, hi: number, target = 6, integer = false): AxisTicks {
  if (!(hi > lo)) {
    const pad = integer ? 1 : Math.max(Math.abs(lo) * 0.1, 0.5);
    [lo, hi] = [lo - pad, hi + pad];
  }
  const rough = (hi - lo) / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const multiplier = STEP_MULTIPLIERS.find((m) => m * magnitude >= rough * (1 - 1e-9)) ?? 10;
  let step = multiplier * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(roundNoise(i * step));
  return { domain: [ticks[0], ticks[ticks.length - 1]], step, ticks };
}

/** Removes binary floating point noise such as 0.30000000000000004. */
function roundNoise(value: number): number {
  return Number(value.toPrecision(12));
}

function decimalsFor(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Tick label: plain when the axis ends below 10 000, else with a k or M suffix; as many decimals
 * as the step needs, so all labels of an axis have the same number of decimals.
 */
export function formatTick(value: number, step: number, axisMax: number): string {
  if (value === 0) return '0';
  const unit = Math.abs(axisMax) >= 1e6 ? 1e6 : Math.abs(axisMax) >= 1e4 ? 1e3 : 1;
  const suffix = unit === 1e6 ? 'M' : unit === 1e3 ? 'k' : '';
  return (value / unit).toFixed(decimalsFor(step / unit)) + suffix;
}

/** Integer with thousands separators: 1234567 → '1,234,567'. */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
