import { describe, expect, it } from 'vitest';
import { extractHtmlTitle, parseHttpPage, parseHttpTitle } from './http-page';

// Page shapes written after the sources named in http-page.ts (not copied): LuCI's
// /www/index.html redirect, LuCI's header title, GL.iNet's Vue shell.
const luciRedirect = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html><head>
<meta http-equiv="Cache-Control" content="no-cache" />
<meta http-equiv="refresh" content="0; URL=/cgi-bin/luci" />
</head>
<body><a href="/cgi-bin/luci">LuCI - Lua Configuration Interface</a></body></html>`;

describe('parseHttpTitle', () => {
  it("recognises OpenWrt's / page: no title, a refresh and a link to /cgi-bin/luci", () => {
    expect(parseHttpTitle(luciRedirect)).toEqual({ ui: 'luci' });
    expect(parseHttpTitle('<meta http-equiv=refresh content="0; URL=cgi-bin/luci/">')).toEqual({
      ui: 'luci',
    });
  });

  it('recognises LuCI page titles ("HOSTNAME - PAGE - LuCI")', () => {
    expect(parseHttpTitle('<title>OpenWrt - Overview - LuCI</title>')).toEqual({
      ui: 'luci',
      title: 'OpenWrt - Overview - LuCI',
    });
    expect(parseHttpTitle('<TITLE>\n  travel-router - LuCI\n</TITLE>').ui).toBe('luci');
  });

  it('recognises the GL.iNet admin panel by title or by its gl-ui shell', () => {
    expect(parseHttpTitle('<title>GL.iNet Admin Panel</title>')).toEqual({
      ui: 'glinet',
      title: 'GL.iNet Admin Panel',
    });
    const shell =
      '<html><head><title>Admin Panel</title></head><body><noscript><strong>We&#39;re sorry but gl-ui doesn\'t work properly without JavaScript enabled.</strong></noscript><div id="app"></div></body></html>';
    expect(parseHttpTitle(shell)).toEqual({ ui: 'glinet', title: 'Admin Panel' });
  });

  it('anything else is "other", with its title', () => {
    expect(parseHttpTitle('<title>Admin Panel</title>')).toEqual({
      ui: 'other',
      title: 'Admin Panel',
    });
    expect(parseHttpTitle('<title>LuCI is a nice name</title>').ui).toBe('other');
    expect(parseHttpTitle('<title>HP LaserJet &amp; friends</title>')).toEqual({
      ui: 'other',
      title: 'HP LaserJet & friends',
    });
    expect(parseHttpTitle('')).toEqual({ ui: 'other' });
    expect(parseHttpTitle('<title>   </title>')).toEqual({ ui: 'other' });
  });

  it('does not take a LuCI link somewhere in a page for LuCI unless it points at it', () => {
    expect(parseHttpTitle('<p>see cgi-bin/luci in the docs</p>').ui).toBe('other');
  });
});

describe('extractHtmlTitle', () => {
  it('decodes numeric and named entities and survives a cut page', () => {
    expect(extractHtmlTitle('<title>A&#x26;B &lt;C&gt;</title>')).toBe('A&B <C>');
    expect(extractHtmlTitle('<title>cut off')).toBeUndefined();
    expect(extractHtmlTitle('<title>&#99999999;</title>')).toBe('&#99999999;');
  });
});

describe('parseHttpPage', () => {
  it('a redirect to /cgi-bin/luci is LuCI even with an empty body', () => {
    expect(parseHttpPage({ status: 302, location: '/cgi-bin/luci/', body: '' }).ui).toBe('luci');
    expect(parseHttpPage({ status: 200, location: '/cgi-bin/luci/', body: '' }).ui).toBe('other');
    expect(parseHttpPage({ status: 301, location: 'https://192.168.8.1/', body: '' }).ui).toBe(
      'other',
    );
  });
});
