// Escaping of untrusted text (command arguments, names from manifests, error messages) before it is put in
// GitHub-flavoured markdown. GitHub renders comments with a sanitised HTML subset, expands @mentions and
// #references, and treats `<!-- ... -->` as a hidden comment (which could fake the bot's own marker), so
// every one of these must be neutralised, not only markdown punctuation.

const ZWSP = '\u200B';

/** Characters with a markdown or HTML meaning, escaped with a backslash (CommonMark allows it for all ASCII punctuation). */
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~>]/g;

function oneLine(text: string): string {
  return text.replace(/\r\n?|\n|\u2028|\u2029/g, ' ');
}

/** Remove control characters (except tab) that could confuse terminals or renderers. */
function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '');
}

/**
 * Escape text for use inline in markdown prose: one line, no markdown formatting, no HTML, no mentions, no
 * issue references, no hidden comments. The visible text is unchanged.
 */
export function escapeMarkdown(text: string): string {
  return (
    oneLine(stripControls(text))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // After HTML escaping `>` became `&gt;`, so it is not matched again below.
      .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
      // @mention and team mention: break the token so GitHub does not notify anyone.
      .replace(/@/g, `@${ZWSP}`)
      // URLs would be autolinked; break the scheme separator.
      .replace(/:\/\//g, `:${ZWSP}//`)
  );
}

/**
 * A code span showing `text` literally. Inside a code span GitHub renders no markdown, no HTML and no
 * mentions; the fence is longer than any run of backticks in the text. One line; empty text gives `` ` ` ``.
 */
export function codeSpan(text: string): string {
  const clean = oneLine(stripControls(text));
  if (clean === '') return '` `';
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') || /^ .* $/.test(clean) ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A code span usable inside a markdown table cell (`|` would end the cell even inside a code span). */
export function tableCodeSpan(text: string): string {
  return codeSpan(text).replace(/\|/g, '\\|');
}

/**
 * A fenced code block showing `text` literally (several lines allowed). The fence is longer than any run of
 * backticks or tildes at the start of a line inside the text.
 */
export function codeBlock(text: string, language = ''): string {
  const clean = stripControls(text).replace(/\r\n?/g, '\n');
  const longest = Math.max(2, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${clean}\n${fence}`;
}
