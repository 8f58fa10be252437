"""Every URL pattern of the product must be requested by some test (Zulip's idea): a pytest plugin.

Each process records the route of every request Django resolves (test client and live server alike). Under
pytest-xdist every worker hands its routes to the controller (`workeroutput`), which merges them as the
workers go down. At the end of the session, when the whole suite ran (no file or test selection, no -k or
-m, nothing deselected), any pattern nobody requested fails the session with the list of them; a run of a
few files is never failed for it.

tests/conftest.py installs it; `-p tests.url_coverage` does the same for any pytest run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROUTES_KEY = "halfbuilt_requested_routes"
DESELECTED_KEY = "halfbuilt_deselected"
STAT = "URL patterns never requested"


class MissingRoute:
    """One entry of the summary line's count of patterns never requested."""

    def __init__(self, route: str) -> None:
        self.route = route


def pytest_configure(config: pytest.Config) -> None:
    install(config)


def install(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin(UrlCoverage.name):
        config.pluginmanager.register(UrlCoverage(config), UrlCoverage.name)


class UrlCoverage:
    name = "halfbuilt-url-coverage"

    def __init__(self, config: pytest.Config):
        self.config = config
        self.requested: set[str] = set()
        self.deselected = 0
        self.missing: list[str] = []
        self._original_resolve = None

    # --- every process: record -------------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        from django.urls.resolvers import URLResolver

        original = self._original_resolve = URLResolver.resolve
        requested = self.requested

        def resolve(resolver, path):
            match = original(resolver, path)
            if str(resolver.pattern) == "^/":  # the root resolver: its match carries the whole route
                requested.add(match.route)
            return match

        URLResolver.resolve = resolve

    def pytest_deselected(self, items) -> None:
        self.deselected += len(items)

    # --- the controller: merge what the workers recorded ------------------------------------------

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        output = getattr(node, "workeroutput", {})
        self.requested.update(output.get(ROUTES_KEY, ()))
        self.deselected += output.get(DESELECTED_KEY, 0)

    # --- the end of the session -----------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus) -> None:
        if self._original_resolve is not None:
            from django.urls.resolvers import URLResolver

            URLResolver.resolve = self._original_resolve
        workeroutput = getattr(self.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller judges
            workeroutput[ROUTES_KEY] = sorted(self.requested)
            workeroutput[DESELECTED_KEY] = self.deselected
            return
        if exitstatus == pytest.ExitCode.INTERRUPTED or not self.whole_suite_ran():
            return
        from tests.routes import all_routes

        self.missing = sorted(all_routes() - self.requested)
        if self.missing:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.missing:
            return
        terminalreporter.write_sep("=", "URL patterns that no test requested", red=True, bold=True)
        for route in self.missing:
            terminalreporter.write_line(f"  /{route}")
        terminalreporter.write_line(
            "Every URL pattern needs a test that requests it: add rows to tests/permission_matrix/table.py.")
        # Objects, as every plugin reading the stats expects of their entries (hypothesis reads their __dict__).
        terminalreporter.stats.setdefault(STAT, []).extend(MissingRoute(route) for route in self.missing)

    def whole_suite_ran(self) -> bool:
        config = self.config
        option = config.option
        if option.collectonly or option.keyword or option.markexpr or self.deselected:
            return False
        if getattr(option, "lf", False) or getattr(option, "stepwise", False):
            return False
        if getattr(option, "ignore", None) or getattr(option, "ignore_glob", None):
            return False
        if config.args_source != pytest.Config.ArgsSource.ARGS:
            return True  # no paths given: the testpaths, or the directory pytest was started in
        testpaths = {(config.rootpath / p).resolve() for p in config.getini("testpaths")} or {config.rootpath}
        return all(Path(arg).resolve() in testpaths for arg in config.args)
