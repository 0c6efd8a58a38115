/**
 * The page `stele dev` serves while the last build failed (as Vite and Astro
 * do): every diagnostic with its file, line and code frame, and the live-reload
 * script, so the browser shows the site again as soon as the problem is fixed.
 * The text is the terminal's (already redacted), escaped; the page carries its
 * own CSP with the hashes of its one style and one script.
 */
import { createHash } from 'node:crypto';

/** An overlay page and the CSP header that allows exactly its inline style and script. */
export interface OverlayPage {
  html: string;
  csp: string;
}

const STYLE =
  'body{margin:0;font:15px/1.5 system-ui,sans-serif;background:#1d1f21;color:#e6e6e6}main{max-width:60rem;margin:0 auto;padding:1.5rem}' +
  'h1{color:#ff6b6b;font-size:1.3rem}pre{white-space:pre-wrap;background:#111;padding:1rem;border-left:4px solid #ff6b6b;overflow:auto;font:13px/1.45 ui-monospace,monospace}' +
  'p{color:#bbb}';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/**
 * Render the overlay: `title` (e.g. "3 errors, 1 warning"), one text block per
 * diagnostic (as printed in the terminal), and the reload endpoint.
 */
export function renderDiagnosticsOverlay(title: string, blocks: readonly string[], reloadPath: string): OverlayPage {
  const script = `new EventSource(${JSON.stringify(reloadPath)}).onmessage=function(){location.reload()}`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stele dev: the build failed</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>The build failed: ${escapeHtml(title)}</h1>
<p>Fix the files below and save: this page reloads by itself. The same report is in the terminal running <code>stele dev</code>.</p>
${blocks.map((b) => `<pre class="diagnostic">${escapeHtml(b)}</pre>`).join('\n')}
</main>
<script>${script}</script>
</body>
</html>
`;
  const csp = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(script)}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  return { html, csp };
}
