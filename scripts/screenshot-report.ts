// Screenshot of an HTML report in headless Chromium: node --import tsx scripts/screenshot-report.ts <report.html> <out.png>
import { resolve } from 'node:path';
import { CHROMIUM, hasChromium, withPage } from '../test/fixtures/chromium.ts';

const [report, out] = process.argv.slice(2);
if (!report || !out) {
  process.stderr.write('usage: node --import tsx scripts/screenshot-report.ts <report.html> <out.png>\n');
  process.exit(2);
}
if (!hasChromium()) {
  process.stderr.write(`screenshot-report: ${CHROMIUM} is absent (apt-get install chromium, or set CHROMIUM_PATH)\n`);
  process.exit(2);
}
const errors = await withPage(resolve(report), resolve(out), (page) => Promise.resolve([...page.consoleErrors]));
process.stdout.write(
  `${out}: ${errors.length ? `console errors: ${errors.join('; ')}` : 'rendered with no console error'}\n`,
);
