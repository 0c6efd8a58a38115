/** The action popup: this tab's verdict and, on a first visit, the prompt to pin the site's key. */
import { PROBLEM_KIND_INFO } from '../../../src/trust/problems.js';
import { formatKeyFingerprint } from '../../../src/trust/minisign.js';
import { type PageMessage, TITLE_PREFIX, type Verdict } from '../protocol.js';

function send(message: PageMessage): Promise<unknown> {
  return chrome.runtime.sendMessage(message);
}

function text(id: string, value: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = value;
}

async function render(): Promise<void> {
  const param = new URLSearchParams(location.search).get('tab');
  const tabId = param ? Number(param) : (await chrome.tabs.query({ active: true, currentWindow: true }))[0]?.id;
  if (tabId === undefined) return;
  const verdict = (await send({ type: 'get-verdict', tabId })) as Verdict | undefined;
  if (!verdict) return;
  text('status', TITLE_PREFIX[verdict.state]);
  text('summary', verdict.summary);
  const list = document.getElementById('problems')!;
  for (const p of verdict.problems.slice(0, 20)) {
    const li = document.createElement('li');
    li.textContent = `${PROBLEM_KIND_INFO[p.kind]?.title ?? p.kind}: ${p.message}`;
    list.append(li);
  }
  const candidate = verdict.candidate;
  if (verdict.state === 'unknown' && candidate) {
    document.getElementById('pin')!.hidden = false;
    text('pin-site', candidate.siteId);
    text('pin-fingerprint', formatKeyFingerprint(candidate.keyId));
    document.getElementById('pin-button')!.addEventListener('click', async () => {
      const result = (await send({ type: 'pin-candidate', tabId })) as { ok: boolean; reason?: string } | undefined;
      text('summary', result?.ok ? 'Key trusted; the page is checked again.' : `Not trusted: ${result?.reason ?? 'error'}`);
      document.getElementById('pin')!.hidden = true;
    });
  }
}

void render();
