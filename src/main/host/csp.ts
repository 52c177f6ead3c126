/** The renderer's Content-Security-Policy, shared by the Electron window and the browser host. */
export function contentSecurityPolicy(options: { connectSelfWebSocket: boolean }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${options.connectSelfWebSocket ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
