import type { CaseLocation, TestCase } from '../../gitlab/tests';

const TOOLTIP_CHARS = 1_500;

/** A case's tooltip: plain text (never markup, so nothing in a report becomes a link or a command). */
export function caseTooltip(testCase: TestCase): string {
  const head = [testCase.name, testCase.classname, testCase.file].filter(Boolean).join('\n');
  if (!testCase.output) return head;
  const output = testCase.output.length > TOOLTIP_CHARS ? `${testCase.output.slice(0, TOOLTIP_CHARS)}\n…` : testCase.output;
  return `${head}\n\n${output}`;
}

/** The read-only document of a case: what it is, where it was found in the workspace, then its full output as kept. */
export function caseDocumentText(testCase: TestCase, location: CaseLocation | undefined): string {
  const lines = [
    `Test:      ${testCase.name}`,
    `Status:    ${testCase.status}`,
    `Suite:     ${testCase.suite}`,
    ...(testCase.classname ? [`Class:     ${testCase.classname}`] : []),
    ...(testCase.file ? [`File:      ${testCase.file}`] : []),
    `Time:      ${testCase.executionTime.toFixed(3)} s`,
    `Located:   ${location?.test ? `${location.test.path}:${location.test.line}` : 'no file of this workspace matches'}`,
    ...(location && location.frames.length > 1 ? [`Frames:    ${location.frames.map((frame) => `${frame.path}:${frame.line}`).join(', ')}`] : []),
    '',
    testCase.output || '(GitLab gave no output for this case)',
  ];
  if (testCase.outputOmitted > 0) lines.push('', `… ${testCase.outputOmitted} more characters of output left out.`);
  return `${lines.join('\n')}\n`;
}
