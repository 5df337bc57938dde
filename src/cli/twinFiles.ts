import type { ManifestFile } from '../manifests/model.js';
import { TwinTexts, type ManyReader } from '../manifests/readFiles.js';

/**
 * The two sides of `netpol diff --base DIR --head DIR`, read one after the other: TwinTexts gives a file equal
 * at both sides one text (the same string), and this gives it one file object. The parse's content key is
 * memoised by file object, so the second side's equal files are then neither hashed again (~19 MB per side at
 * the medium bench tier, ~18 ms) nor compared by text when the head is derived from the base.
 */
export class TwinFiles {
  readonly texts = new TwinTexts();
  /** The first file object made under each name (names are relative to a side's directory). */
  readonly #first = new Map<string, ManifestFile>();

  /** A reader for ReadOptions.readText (see TwinTexts.reader): it reads a directory's files at once too. */
  reader(name: (path: string) => string): ManyReader {
    return this.texts.reader(name);
  }

  /**
   * The file object first made for this name and text, else `file` (kept as the first when none was). Only a
   * `{ path, text }` pair is shared: an equal path and an equal text (the same string, mostly: a pointer
   * test) is the same file, whichever side's object stands for it.
   */
  same(file: ManifestFile): ManifestFile {
    const first = this.#first.get(file.path);
    if (first === undefined) {
      this.#first.set(file.path, file);
      return file;
    }
    return first.text === file.text ? first : file;
  }
}
