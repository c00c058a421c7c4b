import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { UserError } from '../../hdl-gen/errors.ts';

/** What a vector file's lines must look like: `operand1 [operand2 [operand3]] result flags`. */
export interface VectorLayout {
  /** Operation name, used in error messages (e.g. 'f16_mulAdd'). */
  readonly name: string;
  readonly arity: number;
  /** Width in bits of each operand (length = arity). */
  readonly operandWidths: readonly number[];
  readonly resultWidth: number;
}

export interface VectorCase {
  /** 1-based line number in the (decompressed) file. */
  line: number;
  operands: number[];
  result: number;
  flags: number;
}

/** The flags byte defines bits 0..4 (inexact, underflow, overflow, divbyzero, invalid). */
const FLAG_BITS = 5;
const HEX = /^[0-9a-fA-F]+$/;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

async function isGzipFile(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UserError(`${file}: cannot open vector file (${code})`);
  }
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === GZIP_MAGIC_0 && magic[1] === GZIP_MAGIC_1;
  } finally {
    await handle.close();
  }
}

function openText(file: string, gzip: boolean): Readable {
  const source = createReadStream(file);
  if (!gzip) return source;
  const gunzip = createGunzip();
  // pipeline forwards an error of either stream to the other, so readline sees it.
  pipeline(source, gunzip, () => {});
  return gunzip;
}

function parseField(
  text: string,
  width: number,
  what: string,
  where: string,
): number {
  if (!HEX.test(text)) {
    throw new UserError(`${where}: ${what} '${text}' is not hexadecimal`);
  }
  const digits = text.replace(/^0+(?=.)/, '');
  const value = digits.length <= 13 ? parseInt(digits, 16) : Infinity;
  if (value >= 2 ** width) {
    throw new UserError(`${where}: ${what} 0x${text} does not fit in ${width} bits`);
  }
  return value;
}

function describeLayout(layout: VectorLayout): string {
  const ops = `${layout.arity} operand${layout.arity === 1 ? '' : 's'}`;
  return `${layout.arity + 2} fields (${ops}, result, flags) for ${layout.name}`;
}

/**
 * Streams a test-vector file (plain text, or gzip detected by its magic bytes whatever the file
 * name) and yields one case per line. Blank lines and lines starting with '#' are skipped. Fields
 * are hexadecimal, separated by whitespace: the layout's operands, then the result, then the flags
 * byte. A malformed line throws a `UserError` naming FILE:LINE.
 */
export async function* readVectorFile(
  file: string,
  layout: VectorLayout,
): AsyncGenerator<VectorCase, void, undefined> {
  if (layout.operandWidths.length !== layout.arity) {
    throw new Error(`vector layout ${layout.name}: ${layout.operandWidths.length} operand widths for arity ${layout.arity}`);
  }
  const gzip = await isGzipFile(file);
  const input = openText(file, gzip);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const expectedFields = layout.arity + 2;
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const text = raw.trim();
      if (text === '' || text.startsWith('#')) continue;
      const fields = text.split(/\s+/);
      const where = `${file}:${lineNo}`;
      if (fields.length !== expectedFields) {
        throw new UserError(`${where}: expected ${describeLayout(layout)}, got ${fields.length}`);
      }
      const operands = new Array<number>(layout.arity);
      for (let i = 0; i < layout.arity; i++) {
        operands[i] = parseField(fields[i], layout.operandWidths[i], `operand ${i + 1}`, where);
      }
      const result = parseField(fields[layout.arity], layout.resultWidth, 'result', where);
      const flags = parseField(fields[layout.arity + 1], FLAG_BITS, 'flags', where);
      yield { line: lineNo, operands, result, flags };
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new UserError(
      `${file}:${lineNo + 1}: cannot read vector file${gzip ? ' (gzip)' : ''}: ${message}`,
    );
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Reads a whole vector file into memory (convenience for tests over small files). */
export async function readAllVectors(file: string, layout: VectorLayout): Promise<VectorCase[]> {
  const cases: VectorCase[] = [];
  for await (const c of readVectorFile(file, layout)) cases.push(c);
  return cases;
}
