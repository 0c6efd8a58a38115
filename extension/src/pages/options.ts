/** Options: import keys (a `.pub` file or a fingerprint), see and forget pinned sites. */
import { formatKeyFingerprint } from '../../../src/trust/minisign.js';
import type { PageMessage } from '../protocol.js';
import type { TrustState } from '../store.js';

function send(message: PageMessage): Promise<unknown> {
  return chrome.runtime.sendMessage(message);
}

function cell(row: HTMLTableRowElement, value: string | Node): HTMLTableCellElement {
  const td = row.insertCell();
  td.append(value);
  return td;
}

function button(label: string, onClick: () => Promise<void>): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', () => void onClick());
  return b;
}

function setStatus(message: string): void {
  document.getElementById('import-status')!.textContent = message;
}

async function render(): Promise<void> {
  const state = (await send({ type: 'list-trust' })) as TrustState;
  const imported = document.getElementById('imported') as HTMLTableSectionElement;
  imported.replaceChildren();
  for (const key of state.importedKeys) {
    const row = imported.insertRow();
    row.dataset.keyId = key.keyId;
    cell(row, formatKeyFingerprint(key.keyId) + (key.publicKey ? '' : ' (fingerprint only)')).className = 'mono';
    cell(row, key.label);
    cell(row, button('Remove', async () => {
      await send({ type: 'remove-imported-key', keyId: key.keyId });
      await render();
    }));
  }
  const pins = document.getElementById('pins') as HTMLTableSectionElement;
  pins.replaceChildren();
  for (const pin of Object.values(state.pins).sort((a, b) => a.siteId.localeCompare(b.siteId))) {
    const row = pins.insertRow();
    row.dataset.siteId = pin.siteId;
    cell(row, pin.siteId);
    cell(row, `${formatKeyFingerprint(pin.keyId)} (${pin.source === 'imported' ? 'imported' : 'trusted on first visit'})`).className = 'mono';
    cell(row, String(pin.highestVersion));
    cell(row, pin.official.join('\n') || '—').style.whiteSpace = 'pre-line';
    cell(row, pin.revoked.map((r) => `${r.url} (${r.date})`).join('\n') || '—').style.whiteSpace = 'pre-line';
    cell(row, button('Forget', async () => {
      await send({ type: 'forget-site', siteId: pin.siteId });
      await render();
    }));
  }
}

async function importText(text: string, label?: string): Promise<void> {
  const result = (await send({ type: 'import-key', text, ...(label ? { label } : {}) })) as
    | { ok: true; fingerprint: string }
    | { ok: false; reason: string };
  setStatus(result.ok ? `Imported key ${result.fingerprint}.` : `Not imported: ${result.reason}`);
  await render();
}

document.getElementById('key-file')!.addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  if (file.size > 4096) {
    setStatus('Not imported: a public key file is a few lines long.');
    return;
  }
  await importText(await file.text(), file.name);
});
document.getElementById('key-import')!.addEventListener('click', async () => {
  const input = document.getElementById('key-text') as HTMLInputElement;
  await importText(input.value);
});

void render();
