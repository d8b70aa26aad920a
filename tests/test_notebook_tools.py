"""tools.notebooks and tools.determinism: kernels on any system, and the CPU configurations that
`make determinism` and CI use."""

from pathlib import Path

from tools import determinism
from tools import notebooks as tools
from tools.paths import ROOT


def test_kernels_use_ipc_sockets_where_the_system_has_them(monkeypatch):
    monkeypatch.setattr(tools, "ipc_available", lambda: True)
    config = tools.kernel_config()
    assert config.KernelManager.transport == "ipc"
    assert Path(config.KernelManager.ip).is_absolute()


def test_kernels_fall_back_to_tcp_without_unix_sockets(monkeypatch):
    monkeypatch.setattr(tools, "ipc_available", lambda: False)  # as on Windows
    config = tools.kernel_config()
    assert "transport" not in config.KernelManager  # jupyter_client's default: TCP


def test_ipc_is_not_used_on_windows(monkeypatch):
    monkeypatch.setattr(tools.os, "name", "nt")
    assert not tools.ipc_available()


def test_determinism_covers_the_issue_configurations():
    configs = determinism.CONFIGS
    assert configs["native"] == {}
    assert configs["aten-default"] == {"ATEN_CPU_CAPABILITY": "default"}
    assert configs["avx2"]["ATEN_CPU_CAPABILITY"] == "avx2"
    # CI runs "scalar": every switch away from this machine's CPU at once.
    assert configs["scalar"] == {"ATEN_CPU_CAPABILITY": "default",
                                 "MKL_ENABLE_INSTRUCTIONS": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"}
    ci = (ROOT / ".ci" / "run").read_text()
    assert "-m tools.determinism --config scalar" in ci


def test_determinism_rejects_a_thread_count_below_one(capsys):
    import pytest

    with pytest.raises(SystemExit) as info:
        determinism.main(["--threads", "0"])
    assert info.value.code == 2
    assert "--threads takes whole numbers >= 1" in capsys.readouterr().err


def test_determinism_takes_notebooks_after_a_thread_count(monkeypatch):
    module = determinism
    runs = []

    def fake_run(name, threads, paths):
        runs.append((name, threads, paths))
        return True, 0.0

    monkeypatch.setattr(module, "run_nbval", fake_run)
    assert module.main(["--config", "scalar", "--threads", "1", "notebooks/x.ipynb"]) == 0
    assert runs == [("scalar", 1, ["notebooks/x.ipynb"])]
