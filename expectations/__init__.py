"""Great Expectations suites (suites/*.json) and the runner that stores their results."""
