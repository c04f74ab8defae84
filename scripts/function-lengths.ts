/**
 * Prints the longest functions in the product's source (lambdas/, lib/, web/src), longest first,
 * as `lines  file:line  name`. A figure for reviews of how readable the code stays:
 *   npx tsx scripts/function-lengths.ts [--most N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@babel/parser';

const ROOTS = ['lambdas', 'lib', 'web/src'];
const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

interface Node {
  type: string;
  loc?: { start: { line: number }; end: { line: number } };
  [key: string]: unknown;
}

interface FunctionLength {
  lines: number;
  where: string;
  name: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function keyName(key: unknown): string | undefined {
  const node = key as Node | undefined;
  if (node?.type === 'Identifier') return node.name as string;
  if (node?.type === 'StringLiteral') return node.value as string;
  return undefined;
}

/** The name a reader would search for: the declaration's, else the binding or key it is given to. */
function functionName(node: Node, parent: Node | undefined): string {
  const own = keyName(node.id) ?? keyName(node.key);
  if (own) return own;
  if (parent?.type === 'VariableDeclarator') return keyName(parent.id) ?? '(anonymous)';
  if (parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty') {
    return keyName(parent.key) ?? '(anonymous)';
  }
  return '(anonymous)';
}

function collect(node: Node, parent: Node | undefined, file: string, out: FunctionLength[]): void {
  if (FUNCTION_TYPES.has(node.type) && node.loc) {
    out.push({
      lines: node.loc.end.line - node.loc.start.line + 1,
      where: `${file}:${node.loc.start.line}`,
      name: functionName(node, parent),
    });
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || !value || typeof value !== 'object') continue;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof (child as Node).type === 'string') collect(child as Node, node, file, out);
    }
  }
}

const mostIndex = process.argv.indexOf('--most');
const most = mostIndex > 0 ? Number(process.argv[mostIndex + 1]) : 15;
const lengths: FunctionLength[] = [];
for (const root of ROOTS) {
  for (const path of sourceFiles(root)) {
    const ast = parse(readFileSync(path, 'utf8'), {
      sourceType: 'module',
      plugins: path.endsWith('.tsx') ? ['typescript', 'jsx'] : ['typescript'],
    });
    collect(ast.program as unknown as Node, undefined, relative('.', path), lengths);
  }
}
lengths.sort((a, b) => b.lines - a.lines || a.where.localeCompare(b.where));
for (const { lines, where, name } of lengths.slice(0, most)) {
  console.log(`${String(lines).padStart(5)}  ${where}  ${name}`);
}
console.log(`functions: ${lengths.length}`);
