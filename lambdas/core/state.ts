// Terraform state (format version 4): parse documents into resource instances and index them.
// Speed matters (states reach 100 MB): one JSON.parse, then a light pass over resource blocks that
// reuses the parsed attribute objects as they are (no cloning, no per-attribute work at build time).

import { StateError } from './errors.js';
import type {
  ResourceScope,
  StateFileInfo,
  StateIndex,
  StateLoadError,
  StateResource,
} from './state-types.js';

/** One state document after parsing: its instances, its facts, and non-fatal problems. */
export interface ParsedState {
  readonly file: string;
  readonly resources: readonly StateResource[];
  readonly info: StateFileInfo;
  /** Non-fatal problems (duplicate address, malformed block): the rest of the file is still used. */
  readonly warnings: readonly string[];
}

/** What buildStateIndex takes: raw text, an already parsed document, or a failure to report. */
export type StateInput = { readonly file: string; readonly text: string } | ParsedState | StateLoadError;

const EMPTY_SET: ReadonlySet<string> = new Set<string>();
const NO_DEPENDENCIES: readonly string[] = Object.freeze([]);

/** Parses one tfstate document. Throws StateError with a message naming the file and what to do. */
export function parseStateDocument(text: string, file: string): ParsedState {
  return readStateObject(parseJson(text, file), file);
}

/** The same as parseStateDocument for a document already parsed from JSON. */
export function readStateObject(doc: unknown, file: string): ParsedState {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StateError(`${file}: not a Terraform state (expected a JSON object at the top level)`);
  }
  const state = doc as Record<string, unknown>;
  checkVersion(state.version, file);
  if (!Array.isArray(state.resources)) {
    throw new StateError(`${file}: no "resources" array, so this is not a Terraform version 4 state`);
  }

  const resources: StateResource[] = [];
  const warnings: string[] = [];
  // Instance keys seen per address without key: a duplicate can only repeat a block's base.
  const seen = new Map<string, Set<string | number | null>>();
  for (const block of state.resources as unknown[]) {
    readBlock(block, file, resources, warnings, seen);
  }
  const info: StateFileInfo = {
    file,
    serial: typeof state.serial === 'number' ? state.serial : null,
    lineage: typeof state.lineage === 'string' ? state.lineage : null,
    terraformVersion: typeof state.terraform_version === 'string' ? state.terraform_version : null,
    resourceCount: resources.length,
    workspace: workspaceOf(file),
  };
  return { file, resources, info, warnings };
}

/** parseStateDocument that returns the failure instead of throwing (for caching and indexing). */
export function tryParseState(text: string, file: string): ParsedState | StateLoadError {
  try {
    return parseStateDocument(text, file);
  } catch (error) {
    return { file, message: error instanceof Error ? error.message : String(error) };
  }
}

function parseJson(text: string, file: string): unknown {
  if (!/\S/.test(text)) {
    throw new StateError(`${file}: empty file (expected a Terraform state; run \`terraform state pull\`)`);
  }
  // A byte-order mark (editors, PowerShell redirection) is not JSON but loses nothing; positions
  // are counted without it, as an editor shows them.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // V8 quotes the text around the error; state text may hold secrets, so only the position stays.
    const safe = reason
      .replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, '')
      .replace(/\s+/g, ' ');
    throw new StateError(`${file}: not valid JSON (${safe}${where(body, reason)})`);
  }
}

/** " at line L, column C" of the error, so a person can find the spot. */
function where(text: string, reason: string): string {
  const position = errorPosition(text, reason);
  if (position === null) return '';
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return `; line ${line}, column ${position - lineStart + 1}`;
}

/** V8 states "at position N", or quotes ±10 characters around the bad token ("...context..."). */
function errorPosition(text: string, reason: string): number | null {
  const explicit = /position (\d+)/.exec(reason);
  if (explicit) return Number(explicit[1]);
  if (reason.startsWith('Unexpected end of JSON input')) return text.length;
  // The token may be a line break ('\n'): [\s\S], not `.`.
  const quoted = /^Unexpected token [\s\S]+?, (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(reason);
  if (!quoted) return null;
  const [, before, context, after] = quoted;
  // V8 quotes the text as it is (no escapes), so the context is always found.
  if (before) return text.indexOf(context) + 10;
  return after ? context.length - 10 : null;
}

function checkVersion(version: unknown, file: string): void {
  if (version === 4) return;
  if (version === 1 || version === 2 || version === 3) {
    throw new StateError(
      `${file}: state format version ${version} is not supported; run \`terraform state pull\` with ` +
        'Terraform ≥ 0.12 / upgrade the state, which writes version 4',
    );
  }
  if (version === undefined) {
    throw new StateError(`${file}: no "version" field, so this is not a Terraform state`);
  }
  throw new StateError(
    `${file}: state format version ${JSON.stringify(version)} is not supported (this tool reads version 4, ` +
      'written by Terraform 0.12 and later); upgrade tfdrift if a newer Terraform wrote it',
  );
}

function readBlock(
  block: unknown,
  file: string,
  out: StateResource[],
  warnings: string[],
  seen: Map<string, Set<string | number | null>>,
): void {
  if (block === null || typeof block !== 'object') {
    warnings.push(`${file}: skipped a resource entry that is not an object`);
    return;
  }
  const r = block as Record<string, unknown>;
  if (r.mode === 'data') return;
  const { type, name } = r;
  if (typeof type !== 'string' || typeof name !== 'string' || !Array.isArray(r.instances)) {
    warnings.push(`${file}: skipped a resource block without type, name or instances`);
    return;
  }
  if (r.mode !== undefined && r.mode !== 'managed') {
    warnings.push(`${file}: skipped ${type}.${name} with unknown mode ${JSON.stringify(r.mode)}`);
    return;
  }
  const module = typeof r.module === 'string' && r.module !== '' ? r.module : null;
  const provider = typeof r.provider === 'string' ? r.provider : '';
  const base = module ? `${module}.${type}.${name}` : `${type}.${name}`;
  let keys = seen.get(base);
  if (!keys) {
    keys = new Set();
    seen.set(base, keys);
  }

  for (const entry of r.instances as unknown[]) {
    if (entry === null || typeof entry !== 'object') continue;
    const instance = entry as Record<string, unknown>;
    // Deposed objects (create_before_destroy leftovers) are on their way out; the current one counts.
    if (instance.deposed !== undefined) continue;
    const indexKey = keyOf(instance.index_key);
    const address =
      indexKey === null
        ? base
        : typeof indexKey === 'number'
          ? `${base}[${indexKey}]`
          : `${base}[${JSON.stringify(indexKey)}]`;
    if (keys.has(indexKey)) {
      warnings.push(`${file}: duplicate address ${address}; kept the first instance`);
      continue;
    }
    keys.add(indexKey);
    const attributes = attributesOf(instance);
    out.push({
      address,
      type,
      name,
      module,
      indexKey,
      provider,
      id: scalarString(attributes.id),
      arn: scalarString(attributes.arn),
      attributes,
      sensitive: sensitiveRoots(instance.sensitive_attributes),
      dependencies: dependenciesOf(instance),
      stateFile: file,
      schemaVersion: typeof instance.schema_version === 'number' ? instance.schema_version : 0,
    });
  }
}

function keyOf(value: unknown): string | number | null {
  return typeof value === 'number' || typeof value === 'string' ? value : null;
}

function scalarString(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return String(value);
  return null;
}

function attributesOf(instance: Record<string, unknown>): Record<string, unknown> {
  const attributes = instance.attributes;
  if (attributes && typeof attributes === 'object' && !Array.isArray(attributes)) {
    return attributes as Record<string, unknown>;
  }
  const flat = instance.attributes_flat;
  if (flat && typeof flat === 'object' && !Array.isArray(flat)) {
    return unflatten(flat as Record<string, unknown>);
  }
  return {};
}

/**
 * Legacy flatmap attributes (states upgraded from 0.11: "tags.%", "tags.Env", "ingress.#", "ingress.0.x")
 * into nested values. Only old states carry them, so clarity beats speed here.
 */
export function unflatten(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  // Sorted so "x.#" ('#' sorts before digits) makes x a list before "x.0" fills it.
  for (const [key, value] of Object.entries(flat).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const parts = key.split('.');
    const last = parts[parts.length - 1];
    if (last === '%' || last === '#') {
      // A count marker: make sure an empty map/list exists even when it has no members.
      ensure(root, parts.slice(0, -1), last === '#' ? [] : {});
      continue;
    }
    const parent = ensure(root, parts.slice(0, -1), {});
    if (Array.isArray(parent)) parent[Number(last)] = value;
    else (parent as Record<string, unknown>)[last] = value;
  }
  return root;
}

function ensure(root: Record<string, unknown>, parts: string[], leaf: object): object {
  let node: Record<string, unknown> | unknown[] = root;
  parts.forEach((part, i) => {
    const isLeaf = i === parts.length - 1;
    const container = node as Record<string, unknown>;
    const key = Array.isArray(node) ? Number(part) : part;
    let next = container[key as string] as Record<string, unknown> | unknown[] | undefined;
    if (next === undefined || next === null || typeof next !== 'object') {
      const nextIsIndex = !isLeaf && /^\d+$/.test(parts[i + 1]);
      next = isLeaf ? (leaf as Record<string, unknown>) : nextIsIndex ? [] : {};
      container[key as string] = next;
    }
    node = next;
  });
  return node;
}

/**
 * Root attribute names from sensitive_attributes. Version 4 stores a list of paths, each a list of
 * steps like {"type":"get_attr","value":"password"}; other writers use a bare step, a string path
 * ("password", "tags.secret", "a[0]"), or {"path": [...]}. Every form collapses to its root name.
 */
export function sensitiveRoots(value: unknown): ReadonlySet<string> {
  if (!Array.isArray(value) || value.length === 0) return EMPTY_SET;
  const roots = new Set<string>();
  for (const path of value) {
    const root = rootOfPath(path);
    if (root) roots.add(root);
  }
  return roots.size === 0 ? EMPTY_SET : roots;
}

function rootOfPath(path: unknown): string | null {
  if (typeof path === 'string') return path.split(/[.[]/)[0] || null;
  if (Array.isArray(path)) return path.length > 0 ? rootOfPath(path[0]) : null;
  if (path && typeof path === 'object') {
    const step = path as Record<string, unknown>;
    if (Array.isArray(step.path)) return rootOfPath(step.path);
    if (typeof step.value === 'string' && (step.type === undefined || step.type === 'get_attr')) {
      return step.value;
    }
  }
  return null;
}

function dependenciesOf(instance: Record<string, unknown>): readonly string[] {
  // 0.12.0 wrote "depends_on"; later versions "dependencies".
  const list = Array.isArray(instance.dependencies) ? instance.dependencies : instance.depends_on;
  if (!Array.isArray(list) || list.length === 0) return NO_DEPENDENCIES;
  // Reuse the parsed array as is unless it holds something odd (no copy per instance).
  for (const d of list)
    if (typeof d !== 'string') return list.filter((x): x is string => typeof x === 'string');
  return list as string[];
}

/** Workspace from the key: the S3 backend's env:/NAME/... or the local terraform.tfstate.d/NAME/. */
export function workspaceOf(file: string): string | null {
  const s3 = /(?:^|\/)env:\/([^/]+)\//.exec(file);
  if (s3) return s3[1];
  const local = /(?:^|[\\/])terraform\.tfstate\.d[\\/]([^\\/]+)[\\/]/.exec(file);
  return local ? local[1] : null;
}

/** The address without instance keys (module.a[0].aws_x.b["k"] → module.a.aws_x.b), as dependencies name it. */
export function configAddress(address: string): string {
  return address.replace(/\[(?:"(?:[^"\\]|\\.)*"|-?\d+|\*)\]/g, '');
}

/** Builds one index over many documents. A bad document becomes an error entry; the rest still load. */
export function buildStateIndex(
  inputs: readonly StateInput[],
  sourceErrors: readonly StateLoadError[] = [],
): StateIndex {
  const resources: StateResource[] = [];
  const files: StateFileInfo[] = [];
  const errors: StateLoadError[] = [...sourceErrors];
  for (const input of inputs) {
    const parsed = 'text' in input ? tryParseState(input.text, input.file) : input;
    if ('message' in parsed) {
      errors.push(parsed);
      continue;
    }
    files.push(parsed.info);
    for (const warning of parsed.warnings) errors.push({ file: parsed.file, message: warning });
    for (const resource of parsed.resources) resources.push(resource);
  }
  return new Index(resources, files, errors);
}

/** A key's resources: one resource (the common case, no array allocated) or several. */
type Entry = StateResource | StateResource[];

class Index implements StateIndex {
  private readonly ids = new Map<string, Entry>();
  private readonly arns = new Map<string, Entry>();
  private readonly addresses = new Map<string, StateResource>();
  private readonly attributeMaps = new Map<string, Map<string, Entry>>();
  private readonly scopes = new WeakMap<StateResource, ResourceScope>();
  private providerScopes: Map<string, { account: string | null; region: string | null }> | undefined;

  constructor(
    readonly resources: readonly StateResource[],
    readonly files: readonly StateFileInfo[],
    readonly errors: readonly StateLoadError[],
  ) {
    for (const resource of resources) {
      if (resource.id !== null) push(this.ids, resource.id, resource);
      if (resource.arn !== null) push(this.arns, resource.arn, resource);
    }
    // The same address in two stacks: the first file wins (set last, going backwards); byId and
    // byArn still see both. One hash operation per address instead of has + set.
    for (let i = resources.length - 1; i >= 0; i--) this.addresses.set(resources[i].address, resources[i]);
  }

  byId(id: string, types?: readonly string[]): StateResource[] {
    return ofTypes(this.ids.get(id), types);
  }

  byArn(arn: string, types?: readonly string[]): StateResource[] {
    return ofTypes(this.arns.get(arn), types);
  }

  byAttribute(attribute: string, value: string, types?: readonly string[]): StateResource[] {
    return ofTypes(this.attributeMap(attribute).get(value), types);
  }

  byAddress(address: string): StateResource | undefined {
    return this.addresses.get(address);
  }

  scopeOf(resource: StateResource): ResourceScope {
    let scope = this.scopes.get(resource);
    if (!scope) {
      scope = this.computeScope(resource);
      this.scopes.set(resource, scope);
    }
    return scope;
  }

  private computeScope(resource: StateResource): ResourceScope {
    const arn = resource.arn ? arnScope(resource.arn) : null;
    const own = regionAttribute(resource);
    // An ARN with an empty region names a global resource (IAM, Route 53, CloudFront); S3's bucket
    // ARNs carry neither region nor account, yet a bucket lives in one region.
    const global = arn !== null && arn.region === null && !own && arn.service !== 's3';
    const siblings = this.providerScope(resource);
    return {
      account: arn?.account ?? siblings.account,
      region: global ? null : (own ?? arn?.region ?? siblings.region),
      global,
    };
  }

  /** Per state file and provider configuration: the one account and region its ARNs agree on. */
  private providerScope(resource: StateResource): { account: string | null; region: string | null } {
    if (!this.providerScopes) {
      const seen = new Map<string, { accounts: Set<string>; regions: Set<string> }>();
      for (const r of this.resources) {
        const key = `${r.stateFile}\u0000${r.provider}`;
        let entry = seen.get(key);
        if (!entry) {
          entry = { accounts: new Set(), regions: new Set() };
          seen.set(key, entry);
        }
        const arn = r.arn ? arnScope(r.arn) : null;
        if (arn?.account) entry.accounts.add(arn.account);
        const region = regionAttribute(r) ?? arn?.region;
        if (region) entry.regions.add(region);
      }
      this.providerScopes = new Map(
        [...seen].map(([key, { accounts, regions }]) => [
          key,
          {
            account: accounts.size === 1 ? [...accounts][0] : null,
            region: regions.size === 1 ? [...regions][0] : null,
          },
        ]),
      );
    }
    return (
      this.providerScopes.get(`${resource.stateFile}\u0000${resource.provider}`) ?? {
        account: null,
        region: null,
      }
    );
  }

  /** One map per attribute name, built on first use: most attributes are never looked up. */
  private attributeMap(attribute: string): Map<string, Entry> {
    let map = this.attributeMaps.get(attribute);
    if (map) return map;
    map = new Map();
    for (const resource of this.resources) {
      const value = resource.attributes[attribute];
      if (typeof value === 'string') {
        if (value !== '') push(map, value, resource);
      } else if (typeof value === 'number' || typeof value === 'boolean') {
        push(map, String(value), resource);
      }
    }
    this.attributeMaps.set(attribute, map);
    return map;
  }
}

/** arn:partition:service:region:account:resource → its parts; null when not an ARN. */
function arnScope(arn: string): { service: string; region: string | null; account: string | null } | null {
  const parts = arn.split(':', 5);
  if (parts.length < 5 || parts[0] !== 'arn') return null;
  // AWS-owned ARNs (arn:aws:iam::aws:policy/...) belong to no account of ours.
  const account = /^\d{12}$/.test(parts[4]) ? parts[4] : null;
  return { service: parts[2], region: parts[3] || null, account };
}

/** The provider v6 per-resource `region` (older providers store it on a few types, e.g. S3 buckets). */
function regionAttribute(resource: StateResource): string | null {
  const region = resource.attributes.region;
  return typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d+$/.test(region) ? region : null;
}

function push(map: Map<string, Entry>, key: string, resource: StateResource): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, resource);
  else if (Array.isArray(entry)) entry.push(resource);
  else map.set(key, [entry, resource]);
}

function ofTypes(entry: Entry | undefined, types?: readonly string[]): StateResource[] {
  if (entry === undefined) return [];
  const list = Array.isArray(entry) ? entry : [entry];
  if (!types || types.length === 0) return Array.isArray(entry) ? entry.slice() : list;
  return list.filter((r) => types.includes(r.type));
}
