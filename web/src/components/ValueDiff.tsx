import { displayItems } from '../../../lambdas/core/display.js';
import { lineDiff } from '../lib/diff.js';
import { asDocument, formatValue, prettyDocument } from '../lib/json-doc.js';

/**
 * Expected vs actual for one attribute: a line diff for JSON documents, two values otherwise.
 * Security-group rules read as words ("tcp 22 from 0.0.0.0/0"), not the engine's atoms.
 */
export function ValueDiff(props: { readonly expected: unknown; readonly actual: unknown }) {
  const expected = displayItems(props.expected);
  const actual = displayItems(props.actual);
  const before = asDocument(expected);
  const after = asDocument(actual);
  if (before && after) {
    const lines = lineDiff(prettyDocument(before), prettyDocument(after));
    if (lines) {
      return (
        <pre className="diff">
          {lines.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
            <div key={index} className={`diff-${line.op}`}>
              <span className="diff-sign" aria-hidden="true">
                {line.op === 'add' ? '+' : line.op === 'del' ? '−' : ' '}
              </span>
              {line.text}
            </div>
          ))}
        </pre>
      );
    }
  }
  const show = (value: unknown) => {
    const doc = asDocument(value);
    return doc ? prettyDocument(doc) : formatValue(value);
  };
  return (
    <div className="value-pair">
      <div className="value expected">
        <div className="value-label">expected (state)</div>
        <pre>{show(expected)}</pre>
      </div>
      <div className="value actual">
        <div className="value-label">actual (event)</div>
        <pre>{show(actual)}</pre>
      </div>
    </div>
  );
}
