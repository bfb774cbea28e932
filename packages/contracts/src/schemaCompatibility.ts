/** A JSON Schema as `z.toJSONSchema` writes it (draft 2020-12), read loosely. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * The ways a new schema can break the people on the other side of an event that keeps its
 * version: a consumer that reads a field the producer stopped sending, or a payload a producer
 * still sends that the new schema refuses.
 */
export type BreakingChangeKind =
  | 'removed-field'
  | 'renamed-field'
  | 'field-made-optional'
  | 'new-required-field'
  | 'narrowed-type'
  | 'removed-enum-value';

/** One breaking difference, at the dotted path of the field (`lines[].quantity`). */
export interface BreakingChange {
  kind: BreakingChangeKind;
  path: string;
  message: string;
}

/**
 * What breaks when `next` replaces `previous` under the same version; empty when the change is
 * compatible. Compatible means every payload `previous` accepted, `next` accepts, and every field
 * `previous` required is still required: new optional fields, new enum values and looser bounds
 * pass. Annotations (`description`, `default`, …) are ignored. Patterns and formats cannot be
 * compared, so any change to one counts as narrowing unless it is removed.
 *
 * @example
 * ```ts
 * findBreakingChanges(z.toJSONSchema(v1), z.toJSONSchema(v1WithNoteRequired));
 * // [{ kind: 'new-required-field', path: 'note', message: 'new required field "note"' }]
 * ```
 */
export function findBreakingChanges(previous: JsonSchema, next: JsonSchema): BreakingChange[] {
  const changes: BreakingChange[] = [];
  compare(
    { schema: previous, root: previous },
    { schema: next, root: next },
    '',
    (kind, path, message) => changes.push({ kind, path: path || '(root)', message }),
  );
  return changes;
}

type Report = (kind: BreakingChangeKind, path: string, message: string) => void;

/** A schema and the document it sits in, to resolve `$ref`s against. */
interface Located {
  schema: JsonSchema;
  root: JsonSchema;
}

function compare(before: Located, after: Located, path: string, report: Report): void {
  const old = resolve(before);
  const now = resolve(after);
  const oldBranches = branchesOf(old);
  const newBranches = branchesOf(now);
  const [oldOnly, newOnly] = [oldBranches[0], newBranches[0]];
  if (oldBranches.length > 1 || newBranches.length > 1 || !oldOnly || !newOnly) {
    for (const branch of oldBranches) compareToUnion(branch, newBranches, path, report);
    return;
  }
  compareTypes(oldOnly.schema, newOnly.schema, path, report);
  compareValues(oldOnly.schema, newOnly.schema, path, report);
  compareBounds(oldOnly.schema, newOnly.schema, path, report);
  compareStrings(oldOnly.schema, newOnly.schema, path, report);
  compareArrays(oldOnly, newOnly, path, report);
  compareObjects(oldOnly, newOnly, path, report);
}

/** A branch of `anyOf`/`oneOf` must still be accepted by one of the new branches. */
function compareToUnion(branch: Located, candidates: Located[], path: string, report: Report) {
  let closest: BreakingChange[] | undefined;
  for (const candidate of candidates) {
    const changes: BreakingChange[] = [];
    compare(branch, candidate, path, (kind, at, message) =>
      changes.push({ kind, path: at, message }),
    );
    if (changes.length === 0) return;
    if (!closest || changes.length < closest.length) closest = changes;
  }
  for (const change of closest ?? []) report(change.kind, change.path, change.message);
}

function resolve(located: Located): Located {
  const ref = located.schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return located;
  const target = ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (isSchema(node) ? node[key] : undefined), located.root);
  return isSchema(target) ? resolve({ schema: target, root: located.root }) : located;
}

function branchesOf(located: Located): Located[] {
  const union = located.schema.anyOf ?? located.schema.oneOf;
  if (!Array.isArray(union)) return [located];
  return union.filter(isSchema).map((schema) => resolve({ schema, root: located.root }));
}

/** The JSON types a schema admits; undefined when it does not say (any type). */
function typesOf(schema: JsonSchema): string[] | undefined {
  const { type } = schema;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string');
  return undefined;
}

const admits = (types: string[], type: string) =>
  types.includes(type) || (type === 'integer' && types.includes('number'));

function compareTypes(old: JsonSchema, now: JsonSchema, path: string, report: Report) {
  const newTypes = typesOf(now);
  if (!newTypes) return;
  const oldTypes = typesOf(old);
  if (!oldTypes) {
    report('narrowed-type', path, `was any type, now only ${newTypes.join(' or ')}`);
    return;
  }
  const lost = oldTypes.filter((type) => !admits(newTypes, type));
  if (lost.length > 0) {
    report(
      'narrowed-type',
      path,
      `type ${oldTypes.join(' or ')} became ${newTypes.join(' or ')}: ${lost.join(', ')} no longer accepted`,
    );
  }
}

/** The closed set of values of `enum`/`const`; undefined when any value of the type goes. */
function valuesOf(schema: JsonSchema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

function compareValues(old: JsonSchema, now: JsonSchema, path: string, report: Report) {
  const newValues = valuesOf(now);
  if (!newValues) return;
  const oldValues = valuesOf(old);
  if (!oldValues) {
    report('narrowed-type', path, `now limited to ${newValues.map(show).join(', ')}`);
    return;
  }
  const kept = new Set(newValues.map(show));
  for (const value of oldValues) {
    if (!kept.has(show(value))) {
      report('removed-enum-value', path, `${show(value)} is no longer accepted`);
    }
  }
}

interface Bound {
  value: number;
  exclusive: boolean;
}

function lowerBound(schema: JsonSchema): Bound | undefined {
  return bound(schema, 'minimum', 'exclusiveMinimum', Math.max, 1);
}

function upperBound(schema: JsonSchema): Bound | undefined {
  return bound(schema, 'maximum', 'exclusiveMaximum', Math.min, -1);
}

/** The tighter of the inclusive and exclusive limit; for integers an exclusive one as inclusive. */
function bound(
  schema: JsonSchema,
  inclusiveKey: string,
  exclusiveKey: string,
  tighter: (a: number, b: number) => number,
  step: 1 | -1,
): Bound | undefined {
  const inclusive = asNumber(schema[inclusiveKey]);
  let exclusive = asNumber(schema[exclusiveKey]);
  const integersOnly = typesOf(schema)?.every((type) => type === 'integer') ?? false;
  let value = inclusive;
  if (exclusive !== undefined && integersOnly) {
    // > 0 over integers is ≥ 1: the same payloads, so not a change.
    const asInclusive = step === 1 ? Math.floor(exclusive) + 1 : Math.ceil(exclusive) - 1;
    value = value === undefined ? asInclusive : tighter(value, asInclusive);
    exclusive = undefined;
  }
  if (exclusive === undefined) return value === undefined ? undefined : { value, exclusive: false };
  if (value === undefined || tighter(value, exclusive) === exclusive) {
    return { value: exclusive, exclusive: true };
  }
  return { value, exclusive: false };
}

/** Whether `now` refuses a value `old` allowed, for bounds where `step` points inwards. */
function isTighter(old: Bound | undefined, now: Bound | undefined, step: 1 | -1): boolean {
  if (!now) return false;
  if (!old) return true;
  if (now.value !== old.value) return (now.value - old.value) * step > 0;
  return now.exclusive && !old.exclusive;
}

const showBound = (bound: Bound | undefined, side: '>' | '<') =>
  bound ? `${side}${bound.exclusive ? '' : '='} ${bound.value}` : 'none';

function compareBounds(old: JsonSchema, now: JsonSchema, path: string, report: Report) {
  const [oldLow, newLow] = [lowerBound(old), lowerBound(now)];
  if (isTighter(oldLow, newLow, 1)) {
    report(
      'narrowed-type',
      path,
      `minimum ${showBound(oldLow, '>')} became ${showBound(newLow, '>')}`,
    );
  }
  const [oldHigh, newHigh] = [upperBound(old), upperBound(now)];
  if (isTighter(oldHigh, newHigh, -1)) {
    report(
      'narrowed-type',
      path,
      `maximum ${showBound(oldHigh, '<')} became ${showBound(newHigh, '<')}`,
    );
  }
  const [oldStep, newStep] = [asNumber(old.multipleOf), asNumber(now.multipleOf)];
  if (newStep !== undefined && (oldStep === undefined || oldStep % newStep !== 0)) {
    report('narrowed-type', path, `must now be a multiple of ${newStep}`);
  }
}

function compareStrings(old: JsonSchema, now: JsonSchema, path: string, report: Report) {
  compareCount(old, now, 'minLength', 'maxLength', path, report);
  for (const keyword of ['pattern', 'format'] as const) {
    if (now[keyword] !== undefined && now[keyword] !== old[keyword]) {
      const was = old[keyword] === undefined ? 'none' : show(old[keyword]);
      report('narrowed-type', path, `${keyword} ${was} became ${show(now[keyword])}`);
    }
  }
}

/** A `min…`/`max…` pair of counts (length, items): a higher minimum or lower maximum narrows. */
function compareCount(
  old: JsonSchema,
  now: JsonSchema,
  minKey: string,
  maxKey: string,
  path: string,
  report: Report,
) {
  const [oldMin, newMin] = [asNumber(old[minKey]) ?? 0, asNumber(now[minKey]) ?? 0];
  if (newMin > oldMin) report('narrowed-type', path, `${minKey} ${oldMin} became ${newMin}`);
  const [oldMax, newMax] = [asNumber(old[maxKey]), asNumber(now[maxKey])];
  if (newMax !== undefined && (oldMax === undefined || newMax < oldMax)) {
    report('narrowed-type', path, `${maxKey} ${oldMax ?? 'none'} became ${newMax}`);
  }
}

function compareArrays(old: Located, now: Located, path: string, report: Report) {
  compareCount(old.schema, now.schema, 'minItems', 'maxItems', path, report);
  if (now.schema.uniqueItems === true && old.schema.uniqueItems !== true) {
    report('narrowed-type', path, 'items must now be unique');
  }
  const [oldItems, newItems] = [old.schema.items, now.schema.items];
  if (isSchema(newItems)) {
    compare(
      { schema: isSchema(oldItems) ? oldItems : {}, root: old.root },
      { schema: newItems, root: now.root },
      `${path}[]`,
      report,
    );
  }
}

function compareObjects(old: Located, now: Located, path: string, report: Report) {
  const oldFields = propertiesOf(old.schema);
  const newFields = propertiesOf(now.schema);
  const oldRequired = requiredOf(old.schema);
  const newRequired = requiredOf(now.schema);
  const at = (field: string) => (path ? `${path}.${field}` : field);

  const removed = Object.keys(oldFields).filter((field) => !(field in newFields));
  const added = new Set(Object.keys(newFields).filter((field) => !(field in oldFields)));
  for (const field of removed) {
    // A field that left while one with the same schema arrived was renamed.
    const renamedTo = [...added].find((candidate) =>
      sameSchema(oldFields[field], newFields[candidate]),
    );
    if (renamedTo === undefined) {
      report('removed-field', at(field), `field "${field}" was removed`);
      continue;
    }
    added.delete(renamedTo);
    report('renamed-field', at(field), `field "${field}" was renamed to "${renamedTo}"`);
  }
  for (const field of added) {
    if (newRequired.has(field)) {
      report('new-required-field', at(field), `new required field "${field}"`);
    }
  }
  for (const [field, schema] of Object.entries(newFields)) {
    const before = oldFields[field];
    if (!before) continue;
    if (newRequired.has(field) && !oldRequired.has(field)) {
      report('new-required-field', at(field), `field "${field}" is now required`);
    }
    if (oldRequired.has(field) && !newRequired.has(field)) {
      report('field-made-optional', at(field), `field "${field}" is no longer always sent`);
    }
    compare({ schema: before, root: old.root }, { schema, root: now.root }, at(field), report);
  }
  if (now.schema.additionalProperties === false && old.schema.additionalProperties !== false) {
    if (typesOf(old.schema)?.includes('object')) {
      report('narrowed-type', path, 'unknown fields are no longer accepted');
    }
  }
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  if (!isSchema(properties)) return {};
  return Object.fromEntries(
    Object.entries(properties).filter((entry): entry is [string, JsonSchema] => isSchema(entry[1])),
  );
}

function requiredOf(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
}

const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', '$comment']);

/** Equal as validators: the same JSON once annotations are set aside. */
function sameSchema(a: JsonSchema | undefined, b: JsonSchema | undefined): boolean {
  return show(withoutAnnotations(a)) === show(withoutAnnotations(b));
}

/** `value` with its annotations dropped; the keys of `properties` are field names, always kept. */
function withoutAnnotations(value: unknown, fieldNames = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutAnnotations(item));
  if (!isSchema(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .filter((key) => fieldNames || !ANNOTATIONS.has(key))
      .sort()
      .map((key) => [key, withoutAnnotations(value[key], !fieldNames && key === 'properties')]),
  );
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const asNumber = (value: unknown) => (typeof value === 'number' ? value : undefined);

const show = (value: unknown) => JSON.stringify(value);
