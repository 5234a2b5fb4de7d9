/// <reference lib="dom" />
/**
 * The placement matrix: one row per selected object, one column per selected cluster
 * (one page of them), each cell the state of that copy. Keyboard: the matrix is one
 * tab stop; arrow keys, Home and End move between cells; Enter or Space explains the
 * cell (why the object, why the cluster, what the copy's state rests on), as does a
 * click.
 *
 * @module
 */
import { useRef, useState } from "preact/hooks";
import type { PlacementDetail } from "../placement_view.ts";
import { objectText, STATES } from "./format.ts";
import { html, StateFace, SyncerBadge } from "./widgets.ts";

/** The explanation of one cell. */
function explain(d: PlacementDetail, r: number, c: number): string[] {
  const o = d.objects[r];
  const col = d.destinations[c];
  const cell = d.cells[r][c];
  return [
    `${objectText(o)} → ${col.syncTarget}: ${
      STATES[cell.state]?.word ?? cell.state
    }. ${cell.detail}.`,
    `Object selected by ${o.matchedBy}${o.createOnly ? " (create-only)" : ""}.`,
    `Cluster selected through Location ${col.location} by ${col.matchedBy}.`,
    `Syncer of ${col.syncTarget}: ${col.syncer.detail}.`,
  ];
}

/** The matrix of one page of clusters. */
export function Matrix({ detail }: { detail: PlacementDetail }) {
  const [pos, setPos] = useState<[number, number]>([0, 0]);
  const [shown, setShown] = useState<[number, number] | undefined>(undefined);
  const table = useRef<HTMLTableElement>(null);
  const rows = detail.objects.length;
  const cols = detail.destinations.length;
  if (rows === 0 || cols === 0) {
    return html`<p class="muted">${
      rows === 0 ? "No object is selected." : "No cluster on this page."
    }</p>`;
  }
  const [pr, pc] = [Math.min(pos[0], rows - 1), Math.min(pos[1], cols - 1)];
  const focus = (r: number, c: number) => {
    setPos([r, c]);
    table.current?.querySelector<HTMLElement>(`[data-row="${r}"][data-col="${c}"]`)?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, [number, number]> = {
      ArrowUp: [pr - 1, pc],
      ArrowDown: [pr + 1, pc],
      ArrowLeft: [pr, pc - 1],
      ArrowRight: [pr, pc + 1],
      Home: [pr, 0],
      End: [pr, cols - 1],
    };
    const to = moves[e.key];
    if (to) {
      e.preventDefault();
      focus(Math.max(0, Math.min(rows - 1, to[0])), Math.max(0, Math.min(cols - 1, to[1])));
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      setShown([pr, pc]);
    }
  };
  const why = shown && shown[0] < rows && shown[1] < cols ? explain(detail, ...shown) : undefined;
  return html`
    <div>
      <div class="scroll">
        <table class="matrix" ref=${table} role="grid" aria-label="Objects by cluster"
          onKeyDown=${onKey}>
          <thead>
            <tr><th scope="col">Object</th>${detail.destinations.map((d) =>
              html`
                <th scope="col" data-cluster=${d
                  .syncTarget} title=${`${d.imw} · Location ${d.location} · ${d.matchedBy}`}>
                  <div class="colhead">${d.syncTarget}</div>
                  <${SyncerBadge} syncer=${d.syncer} />
                </th>
              `
            )}</tr>
          </thead>
          <tbody>${detail.objects.map((o, r) =>
            html`<tr key=${objectText(o)} data-object=${objectText(o)}>
          <th scope="row" title=${o.matchedBy}><span class="kind">${o.kind}</span> ${
              o.namespace ? `${o.namespace}/` : ""
            }${o.name}</th>
          ${
              detail.destinations.map((d, c) => {
                const cell = detail.cells[r][c];
                const active = r === pr && c === pc;
                return html`
                  <td role="gridcell" class="cell" tabIndex=${active ? 0 : -1}
                    data-row=${r} data-col=${c} data-state=${cell.state} data-cluster=${d
                      .syncTarget}
                    aria-label=${`${objectText(o)} on ${d.syncTarget}: ${
                      STATES[cell.state]?.word ?? cell.state
                    }`}
                    aria-selected=${shown && shown[0] === r && shown[1] === c ? "true" : "false"}
                    title=${cell.detail} onClick=${() => (setPos([r, c]), setShown([r, c]))}>
                    <${StateFace} state=${cell.state} />
                  </td>
                `;
              })
            }</tr>`
          )}</tbody>
        </table>
      </div>
      <div class="explain" aria-live="polite">${why
        ? html`<ul>${why.map((line) => html`<li>${line}</li>`)}</ul>`
        : html`<p class="muted small">Select a cell (click, or arrows then Enter) to see why.</p>`}</div>
    </div>
  `;
}
