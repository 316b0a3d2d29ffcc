// End-to-end tests start processes and run real tools: generous per-test budget.
jest.setTimeout(180_000);
