/**
 * A small built site for the server tests: pages, content-hashed assets,
 * a web manifest, a feed, stele's .well-known files, a 404 page and
 * dot-files that must never be served.
 */
import sharp from 'sharp';
import { hardenSite } from '../../src/harden/harden-site.js';
import type { OutputFiles } from '../../src/site/output.js';

export const NOT_FOUND_ZH_BODY = '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>找不到网页</title><style>h1{color:#333}</style></head><body><h1>找不到网页 (stele-404-zh)</h1></body></html>';

export const NOT_FOUND_BODY = '<!doctype html><html><head><meta charset="utf-8"><title>Not found</title><style>h1{color:#333}</style></head><body><h1>Page not found (stele-404)</h1></body></html>';

/** Build the fixture and harden it. */
export async function createFixtureSite(): Promise<OutputFiles> {
  const enc = new TextEncoder();
  const png = new Uint8Array(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } }).png().toBuffer());
  const avif = new Uint8Array(await sharp({ create: { width: 4, height: 4, channels: 3, background: '#336699' } }).avif().toBuffer());
  const output: OutputFiles = new Map([
    ['index.html', enc.encode('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Home</title><style>body{margin:0}</style><link rel="manifest" href="manifest.webmanifest"></head><body><p>Home</p><img src="assets/photo.89abcdef01.png" alt="A photo"><a href="about/">About</a></body></html>')],
    ['about/index.html', enc.encode('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>About</title><link rel="stylesheet" href="../assets/site.0123abcd.css"></head><body><p>About</p></body></html>')],
    ['404.html', enc.encode(NOT_FOUND_BODY)],
    ['zh-hans/404.html', enc.encode(NOT_FOUND_ZH_BODY)],
    ['zh-hans/index.html', enc.encode('<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>首页</title></head><body><p>首页</p></body></html>')],
    ['assets/site.0123abcd.css', enc.encode('p{color:#222}')],
    ['assets/photo.89abcdef01.png', png],
    ['assets/photo.abcdef0123.avif', avif],
    ['manifest.webmanifest', enc.encode('{"name":"Site"}')],
    ['feed.atom', enc.encode('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>')],
    ['sitemap.xml', enc.encode('<?xml version="1.0"?><urlset/>')],
    ['logo.webp', enc.encode('RIFF')],
    ['.well-known/stele/manifest.json', enc.encode('{"version":1}')],
    ['.well-known/stele/manifest.json.minisig', enc.encode('untrusted comment: x\nRWQ=\n')],
    ['.env', enc.encode('SECRET=do-not-serve')],
    ['.git/config', enc.encode('[core] secret-do-not-serve')],
    ['.well-known/stele/.hidden', enc.encode('secret-do-not-serve')],
  ]);
  hardenSite(output);
  return output;
}
