/// <reference lib="dom" />
/**
 * The page's small building blocks: label chips, a syncer badge, a copy-state cell
 * face, a pager, a search box (`/` focuses the first one), and problem lists.
 *
 * @module
 */
import { html } from "htm/preact";
import { labelWords, STATES } from "./format.ts";

/** The `html` template tag (htm bound to Preact). */
export { html };

/** Labels as chips. */
export function Labels({ labels }: { labels?: Record<string, string> }) {
  const words = labelWords(labels);
  if (words.length === 0) return html`<span class="muted">none</span>`;
  return html`<span class="chips">${words.map((w) => html`<span class="chip">${w}</span>`)}</span>`;
}

/** A syncer's liveness. */
export function SyncerBadge(
  { syncer }: { syncer: { state: string; detail: string; lastHeartbeat?: string } },
) {
  const word = { live: "live", stale: "stale", silent: "silent", absent: "none" }[syncer.state] ??
    syncer.state;
  return html`<span class=${`syncer syncer-${syncer.state}`} title=${syncer.detail}>
    <span class="dot" aria-hidden="true"></span>${word}</span>`;
}

/** The face of a copy state: symbol and word. */
export function StateFace({ state }: { state: string }) {
  const s = STATES[state] ?? STATES.unknown;
  return html`<span class=${`state state-${state}`}><span aria-hidden="true">${s.symbol}</span> ${s.word}</span>`;
}

/** Previous / next page buttons with the position. */
export function Pager(
  { page, pages, total, onPage, label }: {
    page: number;
    pages: number;
    total: number;
    onPage: (p: number) => void;
    label: string;
  },
) {
  return html`
    <nav class="pager" aria-label=${label}>
      <button type="button" disabled=${page <= 0} onClick=${() => onPage(page - 1)}>‹ Prev</button>
      <span>page ${page + 1} of ${pages} · ${total} in all</span>
      <button type="button" disabled=${page >= pages - 1} onClick=${() =>
        onPage(page + 1)}>Next ›</button>
    </nav>
  `;
}

/** A search box; `/` anywhere focuses it. */
export function Search(
  { value, onInput, placeholder, label }: {
    value: string;
    onInput: (v: string) => void;
    placeholder: string;
    label: string;
  },
) {
  return html`
    <input type="search" class="search" aria-label=${label} placeholder=${placeholder}
      value=${value} onInput=${(e: Event) => onInput((e.target as HTMLInputElement).value)} />
  `;
}

/** Problems as a list, or nothing. */
export function Problems({ problems }: { problems?: string[] }) {
  if (!problems || problems.length === 0) return null;
  return html`<ul class="problems">${problems.map((p) => html`<li>${p}</li>`)}</ul>`;
}

addEventListener("keydown", (e) => {
  const target = e.target as HTMLElement;
  if (e.key !== "/" || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  const box = document.querySelector<HTMLInputElement>("input.search");
  if (box) {
    e.preventDefault();
    box.focus();
  }
});
