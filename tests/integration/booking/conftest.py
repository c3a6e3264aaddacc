from __future__ import annotations


def pytest_configure(config):
    config.addinivalue_line("markers", "stack: tests against the whole local stack, started as `make run`")
