// A host that starts with '-' would be read as an option by ping/iperf3: reject it before it
// reaches an argv. Callers validate user input first, so hitting this is a bug, not a result.
export function assertHostArgument(host: string): string {
  if (host.length === 0 || host.startsWith('-') || /[\s\0]/.test(host)) {
    throw new TypeError(`not a host name or address: ${JSON.stringify(host)}`);
  }
  return host;
}

export function formatNumber(value: number): string {
  return String(Number(value.toFixed(3)));
}
