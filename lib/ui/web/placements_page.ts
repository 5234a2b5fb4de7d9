/// <reference lib="dom" />
/**
 * The Placements view: every EdgePlacement (searchable, paged), and the chosen one in
 * full — selectors, downsync tests, upsync clauses, the clusters it selected, the
 * objects it selects and why, the matrix of copy states (cluster columns paged and
 * filtered on the server), its problems and its workspace's StatusSummaries.
 *
 * @module
 */
import { useState } from "preact/hooks";
import type { PlacementDetail, PlacementsView } from "../placement_view.ts";
import { objectText, pageOf, selectorText, STATES } from "./format.ts";
import { useResource } from "./hooks.ts";
import { Matrix } from "./matrix.ts";
import { html, Pager, Problems, Search } from "./widgets.ts";

const PAGE = 25;
const COLUMNS = 10;
const TOPICS = ["placements", "fleet"];

/** The link to one placement. */
export function placementHref(wmwCluster: string, name: string): string {
  return `#/placements/${encodeURIComponent(wmwCluster)}/${encodeURIComponent(name)}`;
}

function PlacementList({ selected }: { selected?: { wmw: string; name: string } }) {
  const list = useResource<PlacementsView>("/api/placements", TOPICS);
  const [q, setQ] = useState("");
  const [page, setPage] = useState(0);
  if (!list.data) return html`<p class="muted">${list.error ?? "Loading placements…"}</p>`;
  const needle = q.trim().toLowerCase();
  const rows = list.data.placements.filter((p) =>
    !needle || `${p.wmw} ${p.name}`.toLowerCase().includes(needle)
  );
  const { items, pages } = pageOf(rows, page, PAGE);
  return html`
    <div class="list">
      <${Search} value=${q} label="Search placements" placeholder="Search placements… (/)"
        onInput=${(v: string) => (setQ(v), setPage(0))} />
      <ul class="plist" aria-label="EdgePlacements">${items.map((p) => {
        const current = selected?.name === p.name &&
          (selected.wmw === p.wmwCluster || selected.wmw === p.wmw);
        return html`<li key=${p.wmwCluster + "/" + p.name} data-placement=${p.name}>
        <a href=${placementHref(p.wmwCluster, p.name)} aria-current=${current ? "page" : undefined}>
          <span class="pname">${p.name}</span>
          <span class="muted small">${p.wmw}</span>
          <span class="small">${plural(p.clusters, "cluster")} · ${plural(p.objects, "object")}${
          p.problems.length
            ? html`
              · <span class="bad">${p.problems.length} problems</span>
            `
            : null
        }</span>
        </a></li>`;
      })}${items.length === 0 ? html`<li class="muted">No placement matches.</li>` : null}</ul>
      <${Pager} page=${Math.min(page, pages - 1)} pages=${pages} total=${rows.length}
        onPage=${setPage} label="Placement pages" />
    </div>
  `;
}

function plural(n: number | null, word: string): string {
  return `${n ?? "?"} ${word}${n === 1 ? "" : "s"}`;
}

function upsyncText(
  u: { apiGroup?: string; resources?: string[]; namespaces?: string[]; names?: string[] },
): string {
  const group = u.apiGroup ? `group ${u.apiGroup}` : "core group";
  const parts = [`${(u.resources ?? ["*"]).join(",")} (${group})`];
  if (u.namespaces?.length) parts.push(`namespaces ${u.namespaces.join(",")}`);
  if (u.names?.length) parts.push(`names ${u.names.join(",")}`);
  return parts.join(", ");
}

function Spec({ d }: { d: PlacementDetail }) {
  const sels = d.spec.locationSelectors ?? [];
  return html`
    <dl class="spec">
      <dt>Location selectors</dt>
      <dd>${sels.length
        ? sels.map((s) =>
          html`
            <code class="chip">${selectorText(s as never)}</code>
          `
        )
        : html`<span class="muted">none</span>`}</dd>
      <dt>Downsync</dt>
      <dd>
        <ol class="tests" start="0">${d.downsyncText.map((t) => html`<li>${t}</li>`)}</ol>
      </dd>
      <dt>Upsync</dt>
      <dd>${(d.spec.upsync ?? []).length
        ? html`<ol class="tests" start="0">${
          (d.spec.upsync ?? []).map((u) => html`<li>${upsyncText(u)}</li>`)
        }</ol>`
        : html`<span class="muted">none</span>`}</dd>
      <dt>Clusters</dt>
      <dd>${plural(d.columns.total, "cluster")} selected (from the ${d.resolvedBy})</dd>
    </dl>
  `;
}

function Summaries({ d }: { d: PlacementDetail }) {
  if (d.summaries.length === 0) return null;
  return html`<section aria-label="Status summaries"><h3>Status summaries in ${d.workspace}</h3>${
    d.summaries.map((s) => {
      const st = (s.status ?? {}) as {
        rows?: unknown[];
        broken?: unknown;
        brokenCount?: number;
        observedClusters?: number;
        lastUpdateTime?: string;
      };
      const broken = Array.isArray(st.broken) ? st.broken : [];
      return html`<div class="summary" data-summary=${s.metadata?.name}>
        <h4>${s.metadata?.name} <span class="muted small">${
        st.observedClusters ?? "?"
      } clusters observed${st.lastUpdateTime ? ` · updated ${st.lastUpdateTime}` : ""}</span></h4>
        <ul>${
        (st.rows ?? []).slice(0, 50).map((r) => html`<li><code>${JSON.stringify(r)}</code></li>`)
      }</ul>
        ${
        broken.length
          ? html`
            <p class="bad">Broken (${st.brokenCount ?? broken.length}):</p>
            <ul>${broken.slice(0, 50).map((b) =>
              html`<li><code>${JSON.stringify(b)}</code></li>`
            )}</ul>
          `
          : null
      }
      </div>`;
    })
  }</section>`;
}

function Detail({ wmw, name }: { wmw: string; name: string }) {
  const [offset, setOffset] = useState(0);
  const [q, setQ] = useState("");
  const [state, setState] = useState("");
  const query = new URLSearchParams({ offset: String(offset), limit: String(COLUMNS), q, state });
  const path = `/api/placements/${encodeURIComponent(wmw)}/${encodeURIComponent(name)}?${query}`;
  const res = useResource<PlacementDetail>(path, TOPICS);
  const d = res.data;
  if (!d || d.name !== name) {
    return html`<p class="muted">${res.error ?? "Loading the placement…"}</p>`;
  }
  const pages = Math.max(1, Math.ceil(d.columns.total / COLUMNS));
  return html`
    <article class="detail" aria-labelledby="placement-title">
      <h3 id="placement-title">${d.name} <span class="muted small">in ${d.workspace}</span></h3>
      <${Problems} problems=${d.problems} />
      <${Spec} d=${d} />
      <h4>Where each copy is</h4>
      <div class="toolbar">
        <input type="search" aria-label="Filter clusters" placeholder="Filter clusters…"
          value=${q}
          onInput=${(e: Event) => (setQ((e.target as HTMLInputElement).value), setOffset(0))} />
        <label>State <select value=${state} onChange=${(e: Event) => (
          setState((e.target as HTMLSelectElement).value), setOffset(0)
        )}>
            <option value="">any</option>
            ${Object.entries(STATES).map(([k, s]) => html`<option value=${k}>${s.word}</option>`)}
          </select></label>
        <span class="legend">${Object.entries(d.counts).filter(([, n]) => n > 0).map(([k, n]) =>
          html`
            <span class=${`state state-${k}`}>${STATES[k].symbol} ${STATES[k].word} ${n}</span>
          `
        )}</span>
      </div>
      <${Matrix} detail=${d} />
      <${Pager} page=${Math.floor(offset / COLUMNS)} pages=${pages} total=${d.columns.total}
        onPage=${(p: number) => setOffset(p * COLUMNS)} label="Cluster pages" />
      <details open=${d.objects.length <= 20}>
        <summary>
          <h4 class="inline">Why each object (${d.objects.length})</h4>
        </summary>
        <ul class="objects">${d.objects.map((o) =>
          html`<li><b>${objectText(o)}</b> <span class="muted small">${o.matchedBy}</span></li>`
        )}</ul>
      </details>
      <${Summaries} d=${d} />
    </article>
  `;
}

/** The Placements view, with `selected` open. */
export function PlacementsPage({ selected }: { selected?: { wmw: string; name: string } }) {
  return html`
    <section class="view split" aria-labelledby="placements-title">
      <h2 id="placements-title" class="sr-only">Placements</h2>
      <${PlacementList} selected=${selected} />
      <div class="pane">${selected
        ? html`<${Detail} key=${
          selected.wmw + "/" + selected.name
        } wmw=${selected.wmw} name=${selected.name} />`
        : html`<p class="muted">Choose a placement to see where its objects are.</p>`}</div>
    </section>
  `;
}
