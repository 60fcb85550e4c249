/**
 * Adam (Kingma & Ba 2015) over flat parameter arrays, and its lazy sparse form for embedding tables (as
 * PyTorch's SparseAdam): only the rows a batch touched get their moments and values updated, with the global
 * step's bias correction. Decoupled weight decay is not applied here; L2 terms belong to the loss.
 */
export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const DEFAULT_ADAM: AdamOptions = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

type Floats = Float32Array | Float64Array;

export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private t = 0;
  readonly options: AdamOptions;

  constructor(size: number, options: Partial<AdamOptions> = {}) {
    this.options = { ...DEFAULT_ADAM, ...options };
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** One step on all of `params` with gradient `grad` (same length). */
  step(params: Floats, grad: Floats): void {
    const { learningRate, beta1, beta2, epsilon } = this.options;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const { m, v } = this;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      params[i] -= (learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
    }
  }
}

export class SparseRowAdam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  readonly options: AdamOptions;

  constructor(
    private readonly rows: number,
    private readonly dim: number,
    options: Partial<AdamOptions> = {},
  ) {
    this.options = { ...DEFAULT_ADAM, ...options };
    this.m = new Float32Array(rows * dim);
    this.v = new Float32Array(rows * dim);
  }

  /** Update only `touched` rows of table (rows × dim) with the matching rows of grad. */
  step(table: Float32Array, grad: Float32Array, touched: ArrayLike<number>): void {
    const { learningRate, beta1, beta2, epsilon } = this.options;
    this.t++;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const { m, v, dim } = this;
    for (let k = 0; k < touched.length; k++) {
      const row = touched[k];
      if (row < 0 || row >= this.rows) throw new RangeError(`row ${row} outside the ${this.rows}-row table`);
      const base = row * dim;
      for (let j = base; j < base + dim; j++) {
        const g = grad[j];
        m[j] = beta1 * m[j] + (1 - beta1) * g;
        v[j] = beta2 * v[j] + (1 - beta2) * g * g;
        table[j] -= (learningRate * (m[j] / c1)) / (Math.sqrt(v[j] / c2) + epsilon);
      }
    }
  }
}
