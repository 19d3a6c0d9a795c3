// Reads tap's TAP stream and reports one line per test file, the names of failing tests, and the
// totals. A "test" is an innermost `t.test(...)`: a behaviour named in a sentence; a file with no
// subtests counts as one.
import { createInterface } from 'node:readline';

const RESULT = /^( *)(not )?ok \d+ - (.*?)(?: # (.*))?$/;
const SUBTEST = /^( *)# Subtest: (.*)$/;

export async function summarise(input, out) {
  let passed = 0;
  let failed = 0;
  /** @type {{ name: string, depth: number, nested: boolean, passed: number, failed: number, failures: string[] }[]} */
  const stack = [];
  let file = null;
  for await (const line of createInterface({ input })) {
    const sub = SUBTEST.exec(line);
    if (sub) {
      const depth = sub[1].length / 4;
      if (stack.length) stack[stack.length - 1].nested = true;
      stack.push({ name: sub[2], depth, nested: false });
      if (depth === 0) file = { name: sub[2], passed: 0, failed: 0, failures: [] };
      continue;
    }
    const res = RESULT.exec(line);
    if (!res) continue;
    const depth = res[1].length / 4;
    const top = stack[stack.length - 1];
    if (!top || top.depth !== depth) continue; // an assertion, not a subtest
    stack.pop();
    const ok = !res[2];
    if (depth === 0) {
      if (!file) continue;
      if (file.passed + file.failed === 0) ok ? file.passed++ : (file.failed++, file.failures.push(res[4] ?? 'file failed'));
      else if (!ok && file.failed === 0) (file.failed++, file.failures.push(`the file failed: ${res[4] ?? ''}`.trim()));
      const time = /time=([\d.]+ms)/.exec(res[4] ?? '')?.[1] ?? '';
      out.write(`${file.failed ? 'FAIL' : 'ok  '} ${file.name}  ${file.passed} passed${file.failed ? `, ${file.failed} failed` : ''}  (${time})\n`);
      for (const f of file.failures) out.write(`       not ok: ${f}\n`);
      passed += file.passed;
      failed += file.failed;
      file = null;
    } else if (!top.nested && file) {
      if (ok) file.passed++;
      else (file.failed++, file.failures.push(res[3]));
    }
  }
  return { passed, failed };
}
