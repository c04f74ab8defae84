// One order for text wherever tfdrift sorts (findings, reports, set items, the dashboard's columns),
// the same on every machine: String.prototype.localeCompare and a bare Intl.Collator follow the
// process's locale (LANG), so the same scan listed its findings in another order on an Estonian
// machine ('z' sorts before 't' there). English collation keeps the order users saw before.
const collator = new Intl.Collator('en');

/** Compares two strings in English collation, whatever the locale of the machine. */
export const compareText: (a: string, b: string) => number = collator.compare;
