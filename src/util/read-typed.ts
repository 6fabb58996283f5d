/**
 * read-typed: opening a file that may not be there, and reading the first bytes of one
 * straight into a typed array of its own (aligned, no intermediate Buffer and no copy) for the
 * index's files of numbers (postings per hash, durations): a cold `ayah identify` reads them
 * at start, and readFileSync with a copy into an aligned array cost it ~10 ms per file at
 * 1,000 hours.
 */
import fs from 'node:fs';

/** A file descriptor of `file` opened for reading; undefined when it cannot be (a file an older index does not have). */
export function openIfReadable(file: string): number | undefined {
  try {
    return fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
}

/**
 * `length` elements of `Type` from the start of `file`; undefined when the file is missing or
 * shorter, or (`exact`) of any other size.
 */
export function readTypedArray<T extends Uint16Array | Float64Array>(file: string, Type: { new (length: number): T; BYTES_PER_ELEMENT: number }, length: number, opts: { exact?: boolean } = {}): T | undefined {
  const fd = openIfReadable(file);
  if (fd === undefined) return undefined;
  try {
    const bytes = length * Type.BYTES_PER_ELEMENT;
    if (opts.exact && fs.fstatSync(fd).size !== bytes) return undefined;
    const out = new Type(length);
    let read = 0;
    while (read < bytes) {
      const n = fs.readSync(fd, out, read, bytes - read, read);
      if (n === 0) return undefined;
      read += n;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}
