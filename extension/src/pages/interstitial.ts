/** The full-page warning shown instead of a NOT GENUINE page or a revoked address. */
import { PROBLEM_KIND_INFO } from '../../../src/trust/problems.js';
import { type PageMessage, TITLE_PREFIX, type Verdict } from '../protocol.js';

function send(message: PageMessage): Promise<unknown> {
  return chrome.runtime.sendMessage(message);
}

function text(id: string, value: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = value;
}

async function render(): Promise<void> {
  const verdict = (await send({ type: 'get-verdict' })) as Verdict | undefined;
  if (!verdict) {
    text('heading', 'No warning for this tab');
    return;
  }
  const revoked = verdict.state === 'revoked';
  text('heading', revoked ? 'This address is no longer the site' : 'This page is NOT the genuine site');
  document.title = `${TITLE_PREFIX[verdict.state]}: ${new URL(verdict.url).host}`;
  text('summary', verdict.summary);
  text('address', verdict.url);
  text(
    'advice',
    revoked
      ? 'The organisation told its readers, in its signed list of addresses, that this address is no longer theirs. Do not read, download or enter anything here, even if it looks normal. Use an official address instead.'
      : 'What you would see here is not what the organisation signed. It may have been changed by whoever controls this server or the network. Do not trust its content or downloads.',
  );
  const list = document.getElementById('problems')!;
  for (const p of verdict.problems) {
    const li = document.createElement('li');
    const strong = document.createElement('strong');
    strong.textContent = PROBLEM_KIND_INFO[p.kind]?.title ?? p.kind;
    li.append(strong, `: ${p.message}`);
    list.append(li);
  }
  document.getElementById('back')!.addEventListener('click', () => {
    if (history.length > 2) history.go(-2);
    else location.replace('about:blank');
  });
  document.getElementById('continue')!.addEventListener('click', () => {
    void send({ type: 'continue-anyway' });
  });
}

void render();
