/** An attribute value as DynamoDB's JSON wire protocol carries it (`{ "S": "abc" }`). */
export type WireValue = Record<string, unknown>;
/** An item as DynamoDB's JSON wire protocol carries it. */
export type WireItem = Record<string, WireValue>;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
/** Binary arrives base64-encoded on the wire and as bytes from the SDK. */
const binaryBytes = (raw: unknown): number =>
  raw instanceof Uint8Array ? raw.length : Buffer.from(String(raw), 'base64').length;

/**
 * Bytes of a number as DynamoDB sizes it: about one byte per two significant digits, plus one
 * (leading and trailing zeros do not count).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Bytes of one attribute value, by DynamoDB's rules for each type. */
export function valueSize(value: WireValue): number {
  const [type, raw] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return utf8Bytes(String(raw));
    case 'N':
      return numberSize(String(raw));
    case 'B':
      return binaryBytes(raw);
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (raw as string[]).reduce((sum, s) => sum + utf8Bytes(s), 0);
    case 'NS':
      return (raw as string[]).reduce((sum, n) => sum + numberSize(n), 0);
    case 'BS':
      return (raw as unknown[]).reduce<number>((sum, b) => sum + binaryBytes(b), 0);
    // Lists and maps: 3 bytes of their own, and 1 byte per element besides the element's size.
    case 'L':
      return (raw as WireValue[]).reduce((sum, element) => sum + valueSize(element) + 1, 3);
    case 'M':
      return Object.entries(raw as WireItem).reduce(
        (sum, [name, element]) => sum + utf8Bytes(name) + valueSize(element) + 1,
        3,
      );
    default:
      return utf8Bytes(JSON.stringify(raw));
  }
}

/**
 * Bytes of an item as DynamoDB bills it: every attribute's name (UTF-8) plus its value.
 *
 * @example
 * itemSize({ pk: { S: 'order#1' }, total: { N: '1450' } }); // 2 + 7 + 5 + 3 = 17
 */
export function itemSize(item: WireItem | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8Bytes(name) + valueSize(value),
    0,
  );
}
