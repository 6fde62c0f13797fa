/**
 * A small TOML reader: enough of TOML 1.0 for the models.dev `providers/` tree, with no
 * dependency. It reads
 *   - comments (`#` to the end of the line, outside strings)
 *   - bare, quoted ("..." / '...') and dotted keys (`a.b = 1`)
 *   - basic strings with escapes, literal strings, and their multi-line forms (`"""`, `'''`)
 *   - integers (`400_000`, `+1`, `-2`, `0x1f`, `0o17`, `0b101`), floats (`1.75`, `5e-3`, `inf`, `nan`)
 *   - booleans
 *   - offset / local dates and times, kept as the string they are written as (`2025-12-11`)
 *   - arrays (over several lines, trailing comma, comments between items) and inline tables
 *   - tables `[a.b]` and arrays of tables `[[a.b]]`, indented or not
 * A document it cannot read throws a TomlError naming the line; it never guesses.
 */

export type TomlValue = string | number | boolean | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export class TomlError extends Error {
  constructor(message: string, readonly line: number) {
    super(`TOML line ${line}: ${message}`);
    this.name = 'TomlError';
  }
}

const BARE_KEY = /[A-Za-z0-9_-]/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?|^\d{2}:\d{2}:\d{2}(?:\.\d+)?/;
const INTEGER = /^[+-]?(?:0|[1-9](?:_?\d)*)$/;
const FLOAT = /^[+-]?(?:0|[1-9](?:_?\d)*)(?:\.\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PREFIXED = /^0(?:x[0-9A-Fa-f](?:_?[0-9A-Fa-f])*|o[0-7](?:_?[0-7])*|b[01](?:_?[01])*)$/;

/** Tables defined by a header or by dotted keys: a second header for one of them is an error. */
const DEFINED = Symbol('defined');
/** Inline tables and arrays written as values are closed: no later key may add to them. */
const CLOSED = Symbol('closed');
type Marked = TomlTable & { [DEFINED]?: boolean; [CLOSED]?: boolean };

const isTable = (v: unknown): v is Marked => typeof v === 'object' && v !== null && !Array.isArray(v);

class Reader {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}

  fail(message: string): never {
    throw new TomlError(message, this.line);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  private advance(count = 1): void {
    for (let i = 0; i < count; i++) {
      if (this.text[this.pos] === '\n') this.line++;
      this.pos++;
    }
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Spaces and tabs only. */
  skipBlanks(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.advance();
  }

  skipComment(): void {
    if (this.peek() !== '#') return;
    while (!this.done && this.peek() !== '\n') this.advance();
  }

  /** Blanks, newlines and comments (between statements, inside arrays). */
  skipWhitespace(): void {
    for (;;) {
      const c = this.peek();
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.advance();
      else if (c === '#') this.skipComment();
      else return;
    }
  }

  /** After a statement: only blanks and a comment may follow on its line. */
  endOfLine(): void {
    this.skipBlanks();
    this.skipComment();
    if (this.peek() === '\r') this.advance();
    if (this.done) return;
    if (this.peek() !== '\n') this.fail(`unexpected ${JSON.stringify(this.peek())} after a value`);
    this.advance();
  }

  /** A dotted key: `a`, `"a b".c`, `cost.tiers`. */
  readKey(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === '"') parts.push(this.readBasicString());
      else if (c === "'") parts.push(this.readLiteralString());
      else {
        const start = this.pos;
        while (BARE_KEY.test(this.peek())) this.advance();
        if (this.pos === start) this.fail(`expected a key, found ${JSON.stringify(c || 'end of file')}`);
        parts.push(this.text.slice(start, this.pos));
      }
      this.skipBlanks();
      if (this.peek() !== '.') return parts;
      this.advance();
    }
  }

  readValue(): TomlValue {
    const c = this.peek();
    if (c === '"') return this.startsWith('"""') ? this.readMultilineBasic() : this.readBasicString();
    if (c === "'") return this.startsWith("'''") ? this.readMultilineLiteral() : this.readLiteralString();
    if (c === '[') return this.readArray();
    if (c === '{') return this.readInlineTable();
    return this.readScalar();
  }

  private readEscape(): string {
    this.advance(); // the backslash
    const c = this.peek();
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\', e: '\x1b' };
    if (c in simple) {
      this.advance();
      return simple[c];
    }
    if (c === 'u' || c === 'U') {
      const length = c === 'u' ? 4 : 8;
      const hex = this.text.slice(this.pos + 1, this.pos + 1 + length);
      if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== length) this.fail(`bad \\${c} escape`);
      this.advance(1 + length);
      return String.fromCodePoint(parseInt(hex, 16));
    }
    return this.fail(`unknown escape \\${c}`);
  }

  readBasicString(): string {
    this.advance(); // opening quote
    let out = '';
    for (;;) {
      const c = this.peek();
      if (c === '' || c === '\n') this.fail('unterminated string');
      if (c === '"') {
        this.advance();
        return out;
      }
      if (c === '\\') out += this.readEscape();
      else {
        out += c;
        this.advance();
      }
    }
  }

  readLiteralString(): string {
    this.advance();
    const end = this.text.indexOf("'", this.pos);
    const newline = this.text.indexOf('\n', this.pos);
    if (end < 0 || (newline >= 0 && newline < end)) this.fail('unterminated literal string');
    const out = this.text.slice(this.pos, end);
    this.advance(end - this.pos + 1);
    return out;
  }

  private skipFirstNewline(): void {
    if (this.startsWith('\r\n')) this.advance(2);
    else if (this.peek() === '\n') this.advance();
  }

  private readMultilineBasic(): string {
    this.advance(3);
    this.skipFirstNewline();
    let out = '';
    for (;;) {
      if (this.done) this.fail('unterminated multi-line string');
      // Up to two quotes may sit right before the closing delimiter.
      if (this.startsWith('"""') && !this.text.startsWith('"""', this.pos + 1)) {
        this.advance(3);
        return out;
      }
      const c = this.peek();
      if (c === '\\') {
        // A line-ending backslash trims the newline and the whitespace after it.
        let i = this.pos + 1;
        while (this.text[i] === ' ' || this.text[i] === '\t') i++;
        if (this.text[i] === '\n' || this.text.startsWith('\r\n', i)) {
          this.advance(i - this.pos);
          this.skipWhitespaceOnly();
          continue;
        }
        out += this.readEscape();
        continue;
      }
      out += c;
      this.advance();
    }
  }

  private skipWhitespaceOnly(): void {
    while (/[ \t\r\n]/.test(this.peek()) && !this.done) this.advance();
  }

  private readMultilineLiteral(): string {
    this.advance(3);
    this.skipFirstNewline();
    let end = this.text.indexOf("'''", this.pos);
    if (end < 0) this.fail('unterminated multi-line literal string');
    while (this.text[end + 3] === "'") end++;
    const out = this.text.slice(this.pos, end);
    this.advance(end - this.pos + 3);
    return out;
  }

  private readArray(): TomlValue[] {
    this.advance(); // [
    const items: TomlValue[] = [];
    for (;;) {
      this.skipWhitespace();
      if (this.peek() === ']') {
        this.advance();
        return items;
      }
      items.push(this.readValue());
      this.skipWhitespace();
      if (this.peek() === ',') this.advance();
      else if (this.peek() !== ']') this.fail(`expected "," or "]" in an array, found ${JSON.stringify(this.peek() || 'end of file')}`);
    }
  }

  private readInlineTable(): TomlTable {
    this.advance(); // {
    const table: Marked = {};
    this.skipBlanks();
    if (this.peek() === '}') {
      this.advance();
      return closed(table);
    }
    for (;;) {
      const key = this.readKey();
      if (this.peek() !== '=') this.fail('expected "=" after a key');
      this.advance();
      this.skipBlanks();
      assign(this, table, key, this.readValue());
      this.skipBlanks();
      if (this.peek() === ',') {
        this.advance();
        continue;
      }
      if (this.peek() === '}') {
        this.advance();
        return closed(table);
      }
      this.fail('expected "," or "}" in an inline table');
    }
  }

  /** The whole document: key/value lines, [table] and [[array of tables]] headers. */
  document(): TomlTable {
    const root: Marked = {};
    let current = root;
    for (;;) {
      this.skipWhitespace();
      if (this.done) return root;
      if (this.startsWith('[[')) {
        this.advance(2);
        const key = this.readKey();
        if (!this.startsWith(']]')) this.fail('expected "]]" after an array-of-tables header');
        this.advance(2);
        const parent = descend(this, root, key.slice(0, -1), true);
        const last = key[key.length - 1];
        const existing = parent[last];
        const element: Marked = {};
        if (existing === undefined) parent[last] = [element];
        else if (Array.isArray(existing) && !(existing as { [CLOSED]?: boolean })[CLOSED]) existing.push(element);
        else this.fail(`"${key.join('.')}" is not an array of tables`);
        current = element;
      } else if (this.peek() === '[') {
        this.advance();
        const key = this.readKey();
        if (this.peek() !== ']') this.fail('expected "]" after a table header');
        this.advance();
        const table = descend(this, root, key, true);
        if (table[DEFINED]) this.fail(`table [${key.join('.')}] defined twice`);
        Object.defineProperty(table, DEFINED, { value: true, enumerable: false });
        current = table;
      } else {
        const key = this.readKey();
        if (this.peek() !== '=') this.fail('expected "=" after a key');
        this.advance();
        this.skipBlanks();
        assign(this, current, key, this.readValue());
      }
      this.endOfLine();
    }
  }

  private readScalar(): TomlValue {
    const rest = this.text.slice(this.pos, this.pos + 64);
    const date = DATE_TIME.exec(rest);
    if (date) {
      this.advance(date[0].length);
      return date[0];
    }
    const token = /^[^\s,\]}#]+/.exec(rest)?.[0];
    if (!token) this.fail(`expected a value, found ${JSON.stringify(this.peek() || 'end of file')}`);
    this.advance(token.length);
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (/^[+-]?inf$/.test(token)) return token.startsWith('-') ? -Infinity : Infinity;
    if (/^[+-]?nan$/.test(token)) return NaN;
    const digits = token.replace(/_/g, '');
    if (PREFIXED.test(token)) return Number(digits);
    if (INTEGER.test(token) || FLOAT.test(token)) return Number(digits);
    return this.fail(`not a TOML value: ${token}`);
  }
}

function closed<T extends Marked | TomlValue[]>(value: T): T {
  Object.defineProperty(value, CLOSED, { value: true, enumerable: false });
  return value;
}

/** The table at `path` under `root`, created (as an implicit table) where missing. */
function descend(reader: Reader, root: Marked, path: string[], forHeader: boolean): Marked {
  let table = root;
  for (const part of path) {
    let next = table[part];
    if (next === undefined) {
      next = {};
      table[part] = next;
    } else if (Array.isArray(next) && forHeader && !(next as { [CLOSED]?: boolean })[CLOSED]) {
      // [a.b] inside [[a]]: the newest element of the array of tables.
      next = next[next.length - 1];
    }
    if (!isTable(next) || next[CLOSED]) reader.fail(`"${path.join('.')}" is already a value`);
    table = next;
  }
  return table;
}

function assign(reader: Reader, table: Marked, key: string[], value: TomlValue): void {
  const parent = descend(reader, table, key.slice(0, -1), false);
  const last = key[key.length - 1];
  if (Object.prototype.hasOwnProperty.call(parent, last)) reader.fail(`duplicate key "${key.join('.')}"`);
  parent[last] = Array.isArray(value) ? closed(value) : value;
}

/** Parse a TOML document into plain objects. */
export function parseToml(text: string): TomlTable {
  return new Reader(text.replace(/^\uFEFF/, '')).document();
}
