// A drift as live messages carry it, in AWS and locally alike.

import type { Drift } from '../core/types.js';

/** The drift without its raw event (GET /drifts/{id} has it): live messages stay small. */
export function liveDrift(drift: Drift): Drift {
  const { rawEvent: _raw, ...rest } = drift;
  return rest;
}
