"""Issue 7, §5: `make run` stopped by its process group (as a terminal's Ctrl-C or a supervisor does)
ends cleanly: no traceback, nothing left running."""
from __future__ import annotations

import os
import signal

import pytest

from tests.support.local_stack import Stack


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_make_run_by_its_process_group_prints_no_traceback(signum):
    stack = Stack()
    os.killpg(stack.process.pid, signum)
    code = stack.process.wait(timeout=30)
    stack._pump_done.wait(timeout=10)
    output = stack.output(500)
    assert "Traceback" not in output and "Exception ignored" not in output, output
    assert code in (0, 2, -signum), (code, output)   # make reports a child ended by a signal as 2
    for key_id in ("ck_demo_storgata", "ck_demo_fjordheim"):   # both demo clinics' credentials are printed
        assert f"nøkkel-id {key_id}" in output, output
    with pytest.raises(ProcessLookupError):
        os.killpg(stack.process.pid, 0)   # moto and the portal are gone with it
