// Command output arrives with LF, CRLF (Windows consoles) or stray CR; parsers see plain lines.
export function splitLines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

export function toNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

export function toInteger(text: string | undefined): number | undefined {
  const value = toNumber(text);
  return value !== undefined && Number.isInteger(value) ? value : undefined;
}
