/** The 'auto' worker count's cap, apart from the worker pool (parallelBackend.ts) so --embed-workers' help reads it. */

/** At most this many workers unless asked for more: each holds a full copy of the model. */
export const AUTO_WORKER_CAP = 4;
