// JSON.parse silently keeps the last of two equal keys, but kubectl's strict decoding rejects the
// object. This scanner finds the first repeated key of any JSON object, with its 1-based line.

interface Frame {
  readonly isObject: boolean;
  readonly keys: Set<string>;
  expectKey: boolean;
}

/** The first key repeated inside one JSON object of `text` (already valid JSON), or undefined. */
export function findJsonDuplicateKey(text: string): { key: string; line: number } | undefined {
  const stack: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '{') stack.push({ isObject: true, keys: new Set(), expectKey: true });
    else if (c === '[') stack.push({ isObject: false, keys: new Set(), expectKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.isObject) top.expectKey = true;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.isObject && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, line };
        top.keys.add(key);
        top.expectKey = false;
      }
      i = j; // JSON strings cannot hold raw newlines, so `line` stays right
    }
  }
  return undefined;
}
