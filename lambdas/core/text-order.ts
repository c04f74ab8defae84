// One order for text wherever tfdrift sorts (findings, reports, set items, the dashboard's columns),
// the same on every machine: String.prototype.localeCompare and a bare Intl.Collator follow the
// process's locale (LANG), so the same scan listed its findings in another order on an Estonian
// machine ('z' sorts before 't' there). English collation keeps the order users saw before.

// Made on first use: building a collator loads ICU collation data, a few ms of a cold start that
// most events, which sort nothing, need not pay.
let collator: Intl.Collator | undefined;

/** Compares two strings in English collation, whatever the locale of the machine. */
export function compareText(a: string, b: string): number {
  collator ??= new Intl.Collator('en');
  return collator.compare(a, b);
}
