import type { Output } from './output';

/** An Output that keeps what a command printed: each call as a line, and both streams as text. */
export function captureOutput(): {
  output: Output;
  out: string[];
  err: string[];
  readonly outText: string;
  readonly errText: string;
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    output: { out: (t) => void out.push(t), err: (t) => void err.push(t) },
    out,
    err,
    get outText() {
      return out.map((t) => `${t}\n`).join('');
    },
    get errText() {
      return err.map((t) => `${t}\n`).join('');
    },
  };
}
