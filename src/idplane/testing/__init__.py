"""The testers' kit: throw-away and resettable stores, an HTTP reset for servers started for
testing, and the pytest plugin (`idplane.testing.pytest_plugin`, loaded by entry point).

Nothing here is reachable on a server unless it was started with `--enable-test-reset` (or
`IDPLANE_ENABLE_TEST_RESET=1`); `idplane reset` refuses on a store no such server marked.
"""
