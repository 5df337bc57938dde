// A hard bound on text that must fit a GitHub limit (comment body, check-run summary/text): cut at a line
// break when there is one, and say that something was cut.

const NOTE = '\n\n… truncated';

export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  if (maxChars <= NOTE.length) return text.slice(0, Math.max(0, maxChars));
  const room = maxChars - NOTE.length;
  const cut = text.lastIndexOf('\n', room);
  // Do not split a UTF-16 surrogate pair when cutting mid-line.
  let end = cut > room / 2 ? cut : room;
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end--;
  return `${text.slice(0, end)}${NOTE}`;
}
