/**
 * Limited-memory BFGS for smooth unconstrained minimisation, with a line search that satisfies the strong Wolfe
 * conditions (Nocedal & Wright, Numerical Optimization, 2nd ed., Algorithms 3.5, 3.6 and 7.4). Strong Wolfe
 * guarantees s·y > 0, so the inverse-Hessian approximation stays positive definite and every step is a descent.
 *
 * It never hangs: iterations, function evaluations per line search and total evaluations are all capped, and the
 * result says why it stopped and whether the gradient tolerance was met.
 *
 * The algorithm is one generator that yields each point to evaluate; `minimizeLbfgs` drives it with a synchronous
 * objective, `minimizeLbfgsAsync` with one that may await (e.g. products on onnxruntime). Same steps either way.
 */

/** Writes ∇f(x) into `gradient` and returns f(x). */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;
export type AsyncObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => Promise<number>;

/** A point the solver needs evaluated: write ∇f(x) into g and send f(x) back. */
interface EvaluationRequest {
  x: Float64Array;
  g: Float64Array;
}
type Solver = Generator<EvaluationRequest, LbfgsResult, number>;

export interface LbfgsOptions {
  /** Stop (converged) when max |∂f/∂x_i| ≤ this. */
  gradientTolerance: number;
  /** Stop when the relative decrease of f stays below this for 5 iterations in a row (progress has stalled). */
  functionTolerance: number;
  maxIterations: number;
  /** Number of (s, y) correction pairs kept. */
  memory: number;
  /** Cap on function evaluations within one line search. */
  maxLineSearchEvaluations: number;
}

export const DEFAULT_LBFGS_OPTIONS: LbfgsOptions = {
  gradientTolerance: 1e-6,
  // Only a guard against stalling at rounding level: the gradient tolerance is the real criterion.
  functionTolerance: 1e-14,
  maxIterations: 1000,
  memory: 10,
  maxLineSearchEvaluations: 30,
};

export type LbfgsStopReason = 'gradientTolerance' | 'functionTolerance' | 'maxIterations' | 'lineSearchFailed';

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  /** max |∂f/∂x_i| at x. */
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  /** True when the gradient tolerance was met. */
  converged: boolean;
  stopReason: LbfgsStopReason;
}

const C1 = 1e-4; // sufficient decrease (Armijo)
const C2 = 0.9; // curvature; 0.9 is the usual choice for quasi-Newton methods
const STALL_ITERATIONS = 5;

export function minimizeLbfgs(
  objective: ObjectiveWithGradient,
  start: Float64Array,
  options: Partial<LbfgsOptions> = {},
): LbfgsResult {
  const solver = lbfgs(start, { ...DEFAULT_LBFGS_OPTIONS, ...options });
  let step = solver.next();
  while (!step.done) step = solver.next(objective(step.value.x, step.value.g));
  return step.value;
}

export async function minimizeLbfgsAsync(
  objective: AsyncObjectiveWithGradient,
  start: Float64Array,
  options: Partial<LbfgsOptions> = {},
): Promise<LbfgsResult> {
  const solver = lbfgs(start, { ...DEFAULT_LBFGS_OPTIONS, ...options });
  let step = solver.next();
  while (!step.done) step = solver.next(await objective(step.value.x, step.value.g));
  return step.value;
}

function* lbfgs(start: Float64Array, opts: LbfgsOptions): Solver {
  const n = start.length;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  let evaluations = 1;
  let f: number = yield { x, g };
  if (!Number.isFinite(f)) throw new RangeError('L-BFGS: objective is not finite at the starting point');

  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(opts.memory);
  const direction = new Float64Array(n);
  const trial = { x: new Float64Array(n), g: new Float64Array(n) };

  let gradientNorm = maxAbs(g);
  let iterations = 0;
  let stalled = 0;
  let stopReason: LbfgsStopReason = 'maxIterations';
  if (gradientNorm <= opts.gradientTolerance) stopReason = 'gradientTolerance';

  while (stopReason === 'maxIterations' && iterations < opts.maxIterations) {
    // Two-loop recursion: direction = −H g.
    for (let i = 0; i < n; i++) direction[i] = -g[i];
    for (let j = s.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(s[j], direction);
      axpy(-alpha[j], y[j], direction);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
      scale(direction, gamma);
    } else {
      // First step: a unit-length move, the usual scale-free start.
      scale(direction, 1 / Math.max(norm2(g), 1e-300));
    }
    for (let j = 0; j < s.length; j++) {
      const beta = rho[j] * dot(y[j], direction);
      axpy(alpha[j] - beta, s[j], direction);
    }

    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // Rounding has broken the curvature pairs: restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i] / Math.max(norm2(g), 1e-300);
      slope = dot(g, direction);
    }

    const search = yield* strongWolfeLineSearch(x, f, direction, slope, trial, opts.maxLineSearchEvaluations);
    evaluations += search.evaluations;
    if (!search.ok) {
      if (s.length > 0) {
        // Retry once from steepest descent with fresh memory before giving up.
        s.length = 0;
        y.length = 0;
        rho.length = 0;
        continue;
      }
      stopReason = 'lineSearchFailed';
      break;
    }
    iterations++;

    const sNew = new Float64Array(n);
    const yNew = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sNew[i] = trial.x[i] - x[i];
      yNew[i] = trial.g[i] - g[i];
    }
    const previous = f;
    x.set(trial.x);
    g.set(trial.g);
    f = search.value;
    gradientNorm = maxAbs(g);

    const sy = dot(sNew, yNew);
    if (sy > 1e-12 * norm2(sNew) * norm2(yNew)) {
      if (s.length === opts.memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
    }

    // f stalls at rounding level a little before the gradient does, so only a sustained stall stops the run.
    stalled = previous - f <= opts.functionTolerance * Math.max(Math.abs(previous), Math.abs(f)) ? stalled + 1 : 0;
    if (gradientNorm <= opts.gradientTolerance) stopReason = 'gradientTolerance';
    else if (stalled >= STALL_ITERATIONS) stopReason = 'functionTolerance';
  }
  return {
    x,
    value: f,
    gradientNorm,
    iterations,
    evaluations,
    converged: gradientNorm <= opts.gradientTolerance,
    stopReason: gradientNorm <= opts.gradientTolerance ? 'gradientTolerance' : stopReason,
  };
}

interface LineSearchOutcome {
  ok: boolean;
  value: number;
  evaluations: number;
}

/**
 * Finds a step a along `direction` meeting the strong Wolfe conditions; on success the accepted point and its
 * gradient are in `trial`. Bracketing phase (Algorithm 3.5) then zoom (Algorithm 3.6) with safeguarded cubic
 * interpolation.
 */
function* strongWolfeLineSearch(
  x: Float64Array,
  f0: number,
  direction: Float64Array,
  slope0: number,
  trial: { x: Float64Array; g: Float64Array },
  maxEvaluations: number,
): Generator<EvaluationRequest, LineSearchOutcome, number> {
  const n = x.length;
  let evaluations = 0;
  function* evaluate(step: number): Generator<EvaluationRequest, { value: number; slope: number }, number> {
    for (let i = 0; i < n; i++) trial.x[i] = x[i] + step * direction[i];
    evaluations++;
    const value: number = yield trial;
    return { value, slope: dot(trial.g, direction) };
  }
  // Keep the best Wolfe point's state: the last evaluation is not always the accepted one.
  const accepted = { x: new Float64Array(0), g: new Float64Array(0) };
  const accept = (value: number): LineSearchOutcome => ({ ok: true, value, evaluations });

  let previousStep = 0;
  let previousValue = f0;
  let previousSlope = slope0;
  let step = 1;
  const maxStep = 1e10;

  for (let i = 0; evaluations < maxEvaluations; i++) {
    const current = yield* evaluate(step);
    if (!Number.isFinite(current.value)) {
      // Overflow far along the ray: shrink towards the last good point.
      step = previousStep + (step - previousStep) * 0.1;
      continue;
    }
    if (current.value > f0 + C1 * step * slope0 || (i > 0 && current.value >= previousValue)) {
      return yield* zoom(previousStep, previousValue, previousSlope, step, current.value, current.slope);
    }
    if (Math.abs(current.slope) <= -C2 * slope0) return accept(current.value);
    if (current.slope >= 0) {
      return yield* zoom(step, current.value, current.slope, previousStep, previousValue, previousSlope);
    }
    previousStep = step;
    previousValue = current.value;
    previousSlope = current.slope;
    step = Math.min(step * 2, maxStep);
  }
  return { ok: false, value: f0, evaluations };

  function* zoom(
    lo: number,
    fLo: number,
    dLo: number,
    hi: number,
    fHi: number,
    dHi: number,
  ): Generator<EvaluationRequest, LineSearchOutcome, number> {
    let bestStep = lo;
    let bestValue = fLo;
    while (evaluations < maxEvaluations) {
      const width = hi - lo;
      let candidate = cubicMinimizer(lo, fLo, dLo, hi, fHi, dHi);
      const low = Math.min(lo, hi) + 0.1 * Math.abs(width);
      const high = Math.max(lo, hi) - 0.1 * Math.abs(width);
      if (!Number.isFinite(candidate) || candidate < low || candidate > high) candidate = lo + 0.5 * width;
      const current = yield* evaluate(candidate);
      if (current.value > f0 + C1 * candidate * slope0 || current.value >= fLo) {
        hi = candidate;
        fHi = current.value;
        dHi = current.slope;
      } else {
        if (Math.abs(current.slope) <= -C2 * slope0) return accept(current.value);
        if (current.slope * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          dHi = dLo;
        }
        lo = candidate;
        fLo = current.value;
        dLo = current.slope;
        bestStep = lo;
        bestValue = fLo;
        // Remember this sufficient-decrease point in case the search runs out of evaluations.
        accepted.x = Float64Array.from(trial.x);
        accepted.g = Float64Array.from(trial.g);
      }
      if (Math.abs(hi - lo) <= 1e-16 * Math.max(1, Math.abs(lo))) break;
    }
    // Out of evaluations: accept the best point with sufficient decrease, if any (still a descent step).
    if (bestStep > 0 && bestValue < f0 && accepted.x.length === n) {
      trial.x.set(accepted.x);
      trial.g.set(accepted.g);
      return accept(bestValue);
    }
    return { ok: false, value: f0, evaluations };
  }
}

/** Minimiser of the cubic interpolating f and f' at a and b (NaN when it does not exist). */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (disc < 0) return NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

function axpy(factor: number, from: Float64Array, to: Float64Array): void {
  for (let i = 0; i < to.length; i++) to[i] += factor * from[i];
}

function scale(v: Float64Array, factor: number): void {
  for (let i = 0; i < v.length; i++) v[i] *= factor;
}

function norm2(v: Float64Array): number {
  return Math.sqrt(dot(v, v));
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m) m = a;
  }
  return m;
}
