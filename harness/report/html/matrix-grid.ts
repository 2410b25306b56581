// The matrix as a picture: per claim, path and mode a 16 × 16 grid of the 256 flag sets, coloured by outcome.
import type { CaseResult, OutcomeStatus } from '../../case.ts';
import { allFlagSets } from '../../flag-set.ts';
import { NAMESPACES } from '../../namespaces.ts';
import { escapeHtml } from './escape.ts';

/** The low four table bits pick the row, the high four the column. */
const ROW_KINDS = NAMESPACES.slice(0, 4).map((kind) => kind.name);
const COLUMN_KINDS = NAMESPACES.slice(4, 8).map((kind) => kind.name);
/** Built once: a report draws 256 cells per panel, and building the sets per cell cost seconds of CPU under emulation. */
const FLAG_SET_NAMES = allFlagSets().map((set) => set.name);

export type FamilyOf = (result: CaseResult) => string | null;

interface Panel {
  family: string;
  path: string;
  mode: string;
  cells: Map<number, { status: OutcomeStatus; detail: string }>;
}

function detailOf(result: CaseResult): string {
  const { outcome } = result;
  if (outcome.status === 'skip') return outcome.reason;
  return outcome.status === 'pass' ? '' : outcome.message;
}

function panelsOf(results: readonly CaseResult[], familyOf: FamilyOf): Panel[] {
  const indexByName = new Map(FLAG_SET_NAMES.map((name, index) => [name, index]));
  const panels = new Map<string, Panel>();
  for (const result of results) {
    const family = familyOf(result);
    const { flagSet, path, mode } = result.info.properties;
    const index = flagSet === undefined ? undefined : indexByName.get(flagSet);
    if (family === null || index === undefined || path === undefined || mode === undefined) continue;
    const key = `${family}\n${path}\n${mode}`;
    const panel = panels.get(key) ?? { family, path, mode, cells: new Map() };
    panel.cells.set(index, { status: result.outcome.status, detail: detailOf(result) });
    panels.set(key, panel);
  }
  return [...panels.values()];
}

function cellHtml(index: number, panel: Panel): string {
  const name = FLAG_SET_NAMES[index] ?? String(index);
  const cell = panel.cells.get(index);
  if (!cell)
    return `<i class="na" title="${escapeHtml(`${name} [${panel.path}, ${panel.mode}]: not a case (claim does not apply)`)}"></i>`;
  const detail = cell.detail ? ` — ${cell.detail.slice(0, 300)}` : '';
  return `<i class="${cell.status}" title="${escapeHtml(`${name} [${panel.path}, ${panel.mode}]: ${cell.status}${detail}`)}"></i>`;
}

function gridHtml(panel: Panel): string {
  const cells: string[] = [];
  for (let row = 0; row < 16; row += 1) {
    for (let column = 0; column < 16; column += 1) cells.push(cellHtml(row | (column << 4), panel));
  }
  const broken = [...panel.cells.values()].filter((cell) => cell.status === 'fail' || cell.status === 'error').length;
  const caption = `${panel.path}, ${panel.mode}${broken ? ` — ${broken} failed` : ''}`;
  return `<figure class="grid-panel"><div class="grid" role="img" aria-label="${escapeHtml(`${panel.family} ${caption}`)}">${cells.join('')}</div><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

export function matrixHtml(results: readonly CaseResult[], familyOf: FamilyOf): string {
  const panels = panelsOf(results, familyOf);
  if (panels.length === 0) return '';
  const families = [...new Set(panels.map((panel) => panel.family))];
  const sections = families.map((family) => {
    const grids = panels
      .filter((panel) => panel.family === family)
      .map(gridHtml)
      .join('');
    return `<section class="family"><h3>${escapeHtml(family)}</h3><div class="panels">${grids}</div></section>`;
  });
  const legend = `rows: ${ROW_KINDS.join(' · ')} (bits 0–3); columns: ${COLUMN_KINDS.join(' · ')} (bits 4–7); top left is no flag, bottom right all eight. Hover a cell for its flag set and result.`;
  return `<h2 id="matrix">The matrix: 256 flag sets per claim, path and mode</h2><p class="legend">${escapeHtml(legend)} <span class="key"><i class="pass"></i>pass <i class="fail"></i>fail <i class="error"></i>error <i class="skip"></i>skip <i class="na"></i>not a case</span></p>${sections.join('')}`;
}
