/**
 * The theme's stylesheet. Inlined into every page (one `<style>`, allowed by a
 * CSP hash) so pages render the same from a server, a sub-folder or `file://`.
 * System fonts only: no web fonts, no third-party requests.
 */
export const THEME_CSS = `
:root{--bg:#fdfcf8;--fg:#1c1b19;--muted:#55524c;--line:#d9d5cb;--accent:#8a1c12;--accent-bg:#f6e9e4;--code:#f1eee6;--ok:#1f5f2f;--warn:#7a4b00;--max:46rem;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#161513;--fg:#ece9e1;--muted:#b4afa4;--line:#3b3832;--accent:#ff9c8a;--accent-bg:#3a201b;--code:#24221f;--ok:#8fd6a0;--warn:#f2c46b}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.65 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;overflow-wrap:break-word}
:lang(zh),:lang(zh-Hans){font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif;line-height:1.8}
:lang(zh-Hant){font-family:system-ui,-apple-system,"PingFang TC","Microsoft JhengHei","Noto Sans CJK TC","Source Han Sans TC",sans-serif;line-height:1.8}
:lang(zh) body,body:lang(zh){line-break:strict;word-break:normal}
a{color:var(--accent);text-underline-offset:.15em}
a:focus-visible,summary:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--bg);padding:.5rem 1rem;z-index:2}
.skip:focus{left:.5rem}
header.site,footer.site,main{max-width:var(--max);margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);padding-top:1rem;padding-bottom:.75rem}
.site-title{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg);display:inline-flex;align-items:center;gap:.6rem}
.logo{height:2.5rem;width:auto}
.contact{margin:0 0 .5rem}.donate{font-weight:700}
nav ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a{display:inline-block;padding:.25rem 0}
.lang-switch{font-size:.9375rem;margin-top:.5rem;color:var(--muted)}
.lang-switch ul{display:inline-flex;flex-wrap:wrap;gap:.75rem;list-style:none;margin:0;padding:0}
.lang-switch [aria-current]{font-weight:700;color:var(--fg)}
main{padding-top:1.5rem;padding-bottom:3rem}
h1,h2,h3{line-height:1.3;margin:1.6em 0 .5em}
h1{font-size:1.9rem;margin-top:.5em}
h2{font-size:1.4rem}
.header-anchor{color:inherit;text-decoration:none}.header-anchor:hover,.header-anchor:focus-visible{text-decoration:underline}
.meta{color:var(--muted);font-size:.9375rem}
.notice{border-left:4px solid var(--accent);background:var(--accent-bg);padding:.75rem 1rem;margin:1rem 0}
.cards{list-style:none;padding:0;margin:0}
.cards li{border-bottom:1px solid var(--line);padding:1rem 0}
.cards h3{margin:0 0 .25rem;font-size:1.15rem}
.cards p{margin:.25rem 0}
.campaign-card{border:1px solid var(--line);border-left:4px solid var(--accent);padding:.25rem 1rem;margin:1rem 0}
.campaign-card h3{margin:.5rem 0}.campaign-card h4{margin:.75rem 0 .25rem;font-size:1rem}
.people{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:1rem}
.people li{display:flex;gap:.75rem;align-items:flex-start}.people p{margin:.25rem 0}.people .name{white-space:normal}
.people picture{flex:none;width:4.5rem}.people img{width:4.5rem;height:auto;border-radius:.25rem}
.initial{display:flex;flex:none;width:4.5rem;height:4.5rem;align-items:center;justify-content:center;background:var(--accent-bg);color:var(--accent);font-size:2rem;font-weight:700;border-radius:.25rem}
.pagination ul{list-style:none;padding:0;margin:1.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.tags a{border:1px solid var(--line);border-radius:1rem;padding:.1rem .6rem;text-decoration:none}
.badge{display:inline-block;border-radius:.25rem;padding:.05rem .5rem;font-size:.875rem;font-weight:700;background:var(--accent-bg);color:var(--accent);border:1px solid var(--accent)}
.badge.released,.badge.won{color:var(--ok);border-color:var(--ok);background:transparent}
.timeline{list-style:none;padding:0;border-left:3px solid var(--line);margin-left:.5rem}
.timeline li{padding:0 0 1rem 1rem;position:relative}
.timeline time{font-weight:700;display:block}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0}
.facts dt{font-weight:700;color:var(--muted)}
.facts dd{margin:0}
.roster{columns:12rem auto;padding-left:1.25rem}
.name{white-space:nowrap}
figure{margin:1.5rem 0}
figcaption{color:var(--muted);font-size:.9375rem}
img,picture{max-width:100%;height:auto}
.portrait img{border-radius:.25rem;max-width:12rem}
pre{background:var(--code);padding:.75rem;overflow-x:auto;border-radius:.25rem}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace;font-size:.9em}
:not(pre)>code{background:var(--code);padding:.05em .3em;border-radius:.2rem}
table{border-collapse:collapse;width:100%;margin:1rem 0;display:block;overflow-x:auto}
th,td{border:1px solid var(--line);padding:.4rem .6rem;text-align:left}
.align-center{text-align:center}.align-right{text-align:right}
blockquote{margin:1rem 0;padding:0 1rem;border-left:4px solid var(--line);color:var(--muted)}
.task-list-item{list-style:none}
.footnotes{font-size:.9375rem;color:var(--muted)}
footer.site{border-top:1px solid var(--line);padding-top:1rem;padding-bottom:2rem;color:var(--muted);font-size:.9375rem}
footer.site code{word-break:break-all}
.fingerprint{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.05em}
@media (max-width:30rem){body{font-size:1rem}h1{font-size:1.55rem}.facts{grid-template-columns:1fr}.facts dt{margin-top:.5rem}}
@media print{:root{--bg:#fff;--fg:#000;--muted:#333;--accent:#000}header.site nav,.lang-switch,.skip,.header-anchor{display:none}a{text-decoration:underline}main a[href^="http"]::after{content:" <" attr(href) ">";font-size:.85em;word-break:break-all}body{font-size:11pt}main,header.site,footer.site{max-width:none}}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important}}
`
  .trim()
  .replace(/\n/g, '');

/** Site-relative path of the icon every page links (browsers ask for one anyway). */
export const FAVICON_PATH = 'favicon.svg';

/** A plain stele (an upright inscribed stone): no text, no external references. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M8 30V9a8 8 0 0 1 16 0v21z" fill="#8a1c12"/><path d="M12 12h8M12 17h8M12 22h8" stroke="#fdfcf8" stroke-width="2" stroke-linecap="round"/></svg>
`;
