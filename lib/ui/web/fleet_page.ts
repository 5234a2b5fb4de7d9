/// <reference lib="dom" />
/**
 * The Fleet view: every SyncTarget (edge cluster) with its inventory workspace,
 * labels, Locations, mailbox, syncer liveness, objects placed and problems, searchable
 * and paged (50 rows), then every Location. Updates live on `fleet` changes.
 *
 * @module
 */
import { useState } from "preact/hooks";
import type { FleetView } from "../fleet_view.ts";
import { labelWords, pageOf } from "./format.ts";
import { useResource } from "./hooks.ts";
import { html, Labels, Pager, Problems, Search, SyncerBadge } from "./widgets.ts";

const PAGE = 50;
const TOPICS = ["fleet", "hub"];

type Show = "all" | "problems" | "not-live";

/** The Fleet view. */
export function FleetPage() {
  const fleet = useResource<FleetView>("/api/fleet", TOPICS);
  const [q, setQ] = useState("");
  const [show, setShow] = useState<Show>("all");
  const [page, setPage] = useState(0);
  const data = fleet.data;
  if (!data) {
    return html`
      <section class="view">
        <p class="muted">${fleet.error ?? "Loading the fleet…"}</p>
      </section>
    `;
  }
  const needle = q.trim().toLowerCase();
  const rows = data.syncTargets.filter((t) => {
    if (show === "problems" && t.problems.length === 0) return false;
    if (show === "not-live" && t.syncer.state === "live") return false;
    if (!needle) return true;
    return [t.name, t.imw, t.mailbox, ...t.locations, ...labelWords(t.labels)].some((s) =>
      s.toLowerCase().includes(needle)
    );
  });
  const { items, pages } = pageOf(rows, page, PAGE);
  const live = data.syncTargets.filter((t) => t.syncer.state === "live").length;
  const troubled = data.syncTargets.filter((t) => t.problems.length > 0).length;
  const placed = data.syncTargets.reduce((n, t) => n + (t.objects ?? 0), 0);
  return html`<section class="view" aria-labelledby="fleet-title">
    <h2 id="fleet-title">Fleet</h2>
    <div class="cards">
      <div class="card"><b data-count="clusters">${data.syncTargets.length}</b> clusters</div>
      <div class="card"><b>${live}</b> syncers live</div>
      <div class="card"><b>${placed}</b> objects placed</div>
      <div class=${`card ${troubled ? "card-bad" : ""}`}><b>${troubled}</b> with problems</div>
    </div>
    <div class="toolbar">
      <${Search} value=${q} label="Search clusters" placeholder="Search name, label, workspace… (/)"
        onInput=${(v: string) => (setQ(v), setPage(0))} />
      <label>Show <select value=${show} onChange=${(e: Event) => (
    setShow((e.target as HTMLSelectElement).value as Show), setPage(0)
  )}>
        <option value="all">all clusters</option>
        <option value="problems">with problems</option>
        <option value="not-live">syncer not live</option>
      </select></label>
    </div>
    <div class="scroll">
      <table class="grid" aria-label="Clusters">
        <thead><tr>
          <th scope="col">Cluster</th><th scope="col">Inventory</th><th scope="col">Labels</th>
          <th scope="col">Locations</th><th scope="col">Mailbox</th><th scope="col">Syncer</th>
          <th scope="col" class="num">Objects</th><th scope="col">Problems</th>
        </tr></thead>
        <tbody>
          ${
    items.map((t) =>
      html`
        <tr key=${t.imwCluster + "|" + t.name} data-cluster=${t.name}>
          <th scope="row">${t.name}</th>
          <td>${t.imw}</td>
          <td>
            <${Labels} labels=${t.labels} />
          </td>
          <td>${t.locations.join(", ") || html`<span class="muted">none</span>`}</td>
          <td class="mono" title=${t.mailboxPath}>${t.mailboxPhase
            ? t.mailbox
            : html`<span class="muted">not yet</span>`}</td>
          <td>
            <${SyncerBadge} syncer=${t.syncer} />
          </td>
          <td class="num">${t.objects ?? "–"}</td>
          <td>
            <${Problems} problems=${t.problems} />
          </td>
        </tr>
      `
    )
  }
          ${
    items.length === 0
      ? html`
        <tr>
          <td colspan="8" class="muted">No cluster matches.</td>
        </tr>
      `
      : null
  }
        </tbody>
      </table>
    </div>
    <${Pager} page=${Math.min(page, pages - 1)} pages=${pages} total=${rows.length}
      onPage=${setPage} label="Cluster pages" />
    <h3>Locations</h3>
    <div class="scroll">
      <table class="grid" aria-label="Locations">
        <thead><tr><th scope="col">Location</th><th scope="col">Inventory</th>
          <th scope="col">Labels</th><th scope="col" class="num">SyncTargets</th>
          <th scope="col">Problems</th></tr></thead>
        <tbody>${
    pageOf(data.locations, 0, PAGE).items.map((l) =>
      html`
        <tr key=${l.imwCluster + "|" + l.name}>
          <th scope="row">${l.name}</th>
          <td>${l.imw}</td>
          <td>
            <${Labels} labels=${l.labels} />
          </td>
          <td class="num">${l.syncTargets}</td>
          <td>
            <${Problems} problems=${l.problems} />
          </td>
        </tr>
      `
    )
  }</tbody>
      </table>
    </div>
    ${
    data.locations.length > PAGE
      ? html`<p class="muted">First ${PAGE} of ${data.locations.length} Locations.</p>`
      : null
  }
  </section>`;
}
