// The report's stylesheet, inline: the page loads nothing from the network.
export const STYLE = `
:root { --pass: #2e9d4f; --fail: #d0312d; --error: #e8870e; --skip: #9aa3ad; --na: #f1f3f5; font-family: system-ui, sans-serif; }
body { margin: 1.5rem; color: #1d2125; max-width: 1400px; }
h1 { margin: 0 0 .3rem; font-size: 1.5rem; } h2 { margin-top: 2rem; font-size: 1.2rem; } h3 { margin: 1rem 0 .3rem; font-size: 1rem; }
.verdict { font-size: 1.1rem; font-weight: 600; } .verdict.bad { color: var(--fail); } .verdict.good { color: var(--pass); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; font-size: .85rem; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
.probe-yes { color: var(--pass); } .probe-no { color: var(--skip); } .probe-unknown { color: var(--error); }
table { border-collapse: collapse; width: 100%; font-size: .85rem; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e6e8; vertical-align: top; }
td.count { text-align: right; font-weight: 600; white-space: nowrap; }
.status-fail { color: var(--fail); font-weight: 600; } .status-error { color: var(--error); font-weight: 600; }
details summary { cursor: pointer; color: #445; } details ul { margin: .2rem 0; padding-left: 1.2rem; font-family: ui-monospace, monospace; font-size: .75rem; }
.bars { display: grid; grid-template-columns: 9rem 1fr 14rem; gap: .25rem .75rem; align-items: center; font-size: .85rem; }
.bar { display: flex; height: 1rem; border-radius: 3px; overflow: hidden; background: var(--na); }
.bar span { display: block; height: 100%; } .bar .pass { background: var(--pass); } .bar .fail { background: var(--fail); } .bar .skip { background: var(--skip); } .bar .error { background: var(--error); }
.panels { display: flex; flex-wrap: wrap; gap: 1rem; }
.grid-panel { margin: 0; } .grid-panel figcaption { font-size: .75rem; color: #555; text-align: center; }
.grid { display: grid; grid-template-columns: repeat(16, 9px); grid-auto-rows: 9px; gap: 1px; background: #fff; }
.grid i, .key i { display: inline-block; width: 9px; height: 9px; }
i.pass { background: var(--pass); } i.fail { background: var(--fail); } i.error { background: var(--error); } i.skip { background: var(--skip); } i.na { background: var(--na); }
.legend { font-size: .8rem; color: #445; } .key i { margin: 0 .2rem 0 .6rem; vertical-align: middle; }
.none { color: var(--pass); }
`;
