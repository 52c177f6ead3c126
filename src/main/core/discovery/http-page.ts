import type { WebPage } from '../../../shared/discovery';

// What the web UIs of OpenWrt and GL.iNet serve on `GET /`:
// - OpenWrt with LuCI: uhttpd serves /www/index.html, a page with no title whose
//   `<meta http-equiv="refresh" content="0; URL=/cgi-bin/luci" />` and link
//   "LuCI - Lua Configuration Interface" lead to LuCI (openwrt/luci,
//   modules/luci-base/root/www/index.html). LuCI's own pages are titled
//   "HOSTNAME - PAGE - LuCI" (openwrt/luci themes/luci-theme-bootstrap: luasrc header.htm and
//   earlier ucode header.ut) or "HOSTNAME | PAGE" (current ucode header.ut), so only the
//   " - LuCI" suffix is a title marker.
// - GL.iNet firmware 4.x: a Vue app ("gl-ui"); third-party captures show the title
//   "GL.iNet Admin Panel" or just "Admin Panel", with the body's noscript text
//   "We're sorry but gl-ui doesn't work properly without JavaScript enabled". No first-party page
//   source was found, so both markers are accepted.

const entities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) {
      const code = Number.parseInt(name.slice(2), 16);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    if (name.startsWith('#')) {
      const code = Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return entities[name.toLowerCase()] ?? whole;
  });
}

/** The text of the first `<title>`, whitespace collapsed, or undefined when absent or empty. */
export function extractHtmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  const text = match?.[1] ? decodeEntities(match[1]).replace(/\s+/g, ' ').trim() : '';
  return text === '' ? undefined : text;
}

const luciPath = /\/?cgi-bin\/luci\b/i;

function isGlinet(title: string | undefined, html: string): boolean {
  if (title && /\bGL[.-]?iNet\b/i.test(title)) return true;
  return /\bbut gl-ui doesn(?:'|&#39;|&apos;|&#x27;)t work properly\b/i.test(html);
}

function isLuci(title: string | undefined, html: string): boolean {
  if (title && /(?:^|\s)-\s*LuCI$/i.test(title)) return true;
  if (/LuCI - Lua Configuration Interface/i.test(html)) return true;
  const refresh = /<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*>/i.exec(html);
  if (refresh && luciPath.test(refresh[0])) return true;
  return /<a\b[^>]*href\s*=\s*["'][^"']*cgi-bin\/luci[^"']*["']/i.test(html);
}

/** Which router UI a page belongs to: 'luci', 'glinet' or 'other' (with its title, if any). */
export function parseHttpTitle(html: string): WebPage {
  const title = extractHtmlTitle(html);
  const ui = isGlinet(title, html) ? 'glinet' : isLuci(title, html) ? 'luci' : 'other';
  return title === undefined ? { ui } : { ui, title };
}

/** As parseHttpTitle, but a redirect straight to /cgi-bin/luci also names LuCI. */
export function parseHttpPage(response: {
  status: number;
  location?: string;
  body: string;
}): WebPage {
  const page = parseHttpTitle(response.body);
  const redirect = response.status >= 300 && response.status < 400;
  if (page.ui === 'other' && redirect && response.location && luciPath.test(response.location)) {
    return { ...page, ui: 'luci' };
  }
  return page;
}
