'use strict';

/**
 * Ends a jest run with one plain line, `N passed, N failed` (and `, N skipped`), that CI systems
 * and people can read without knowing jest's own summary format; when TEST_LEVEL names the
 * level run (`pnpm test:unit`, …), a second line says how long it took, so CI prints its time.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(
      `\n${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
    );
    if (process.env.TEST_LEVEL) {
      const seconds = ((Date.now() - results.startTime) / 1000).toFixed(1);
      process.stdout.write(`${process.env.TEST_LEVEL} tests took ${seconds} s\n`);
    }
  }
}

module.exports = SummaryReporter;
