// Counting for the summary line of scripts/test.mjs, from vitest's JSON report.

/**
 * Passed and failed tests in a vitest JSON report. Tests, not suites: vitest's
 * numFailedTestSuites also counts describe blocks and the file of a failed
 * test. A test file that failed with no failed test of its own (it did not
 * load, or a hook failed) counts as one failure.
 */
export function countTests(report) {
  const filesFailedWithoutTests = (report.testResults ?? []).filter(
    (s) => s.status === 'failed' && !(s.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length;
  return { passed: report.numPassedTests ?? 0, failed: (report.numFailedTests ?? 0) + filesFailedWithoutTests };
}
