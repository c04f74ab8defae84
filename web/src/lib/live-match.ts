// Does a drift that arrived on the live feed belong in the table as currently filtered? Decided by
// the server's own query (lambdas/core/drift-query.ts) over the same parameters a refresh sends, so
// live insertion and the next page load agree.

import { type DriftQuery, matchesQuery, parseDriftQuery } from '../../../lambdas/core/drift-query.js';
import type { Drift } from '../types.js';
import { type Filters, filterParams } from './url-state.js';

export function matchesFilters(drift: Drift, filters: Filters): boolean {
  let query: DriftQuery;
  try {
    query = parseDriftQuery(filterParams(filters));
  } catch {
    // Filters the server would refuse show no rows after a refresh either.
    return false;
  }
  return matchesQuery(drift, query);
}
