"""tools.notebooks and tools.determinism: kernels on any system, and the CPU configurations that
`make determinism` and CI use."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_determinism_runs_each_configuration_with_each_thread_count_and_reports(monkeypatch,
                                                                               capsys):
    runs = []

    def fake_run(name, threads, paths):
        runs.append((name, threads, paths))
        return not (name == "avx2" and threads == 2), 12.4

    monkeypatch.setattr(determinism, "run_nbval", fake_run)
    assert determinism.main([]) == 1
    assert runs == [(name, threads, ["notebooks", "solutions"])
                    for name in ("native", "aten-default", "avx2", "scalar") for threads in (1, 2)]
    out = capsys.readouterr().out
    assert out.startswith("== nbval, native (this CPU as it is), 1 thread(s)\n"
                          "== nbval, native (this CPU as it is), 2 thread(s)\n"
                          "== nbval, aten-default (ATEN_CPU_CAPABILITY=default), 1 thread(s)\n")
    assert out.endswith(
        "\n== determinism: nbval per CPU configuration\n"
        "passed  native        1 thread(s)     12 s\n"
        "passed  native        2 thread(s)     12 s\n"
        "passed  aten-default  1 thread(s)     12 s\n"
        "passed  aten-default  2 thread(s)     12 s\n"
        "passed  avx2          1 thread(s)     12 s\n"
        "FAILED  avx2          2 thread(s)     12 s\n"
        "passed  scalar        1 thread(s)     12 s\n"
        "passed  scalar        2 thread(s)     12 s\n"
        "1 of 8 runs failed: a stored output depends on the CPU. See README, 'For maintainers', "
        "for the rule.\n")
    runs.clear()
    assert determinism.main(["--config", "native", "--config", "avx2", "--threads", "1"]) == 0
    assert runs == [("native", 1, ["notebooks", "solutions"]), ("avx2", 1,
                                                                ["notebooks", "solutions"])]
    assert "failed" not in capsys.readouterr().out


def test_determinism_knows_only_its_configurations(capsys):
    import pytest

    with pytest.raises(SystemExit):
        determinism.main(["--config", "fast"])
    assert "invalid choice: 'fast' (choose from aten-default, avx2, native, scalar)" in (
        capsys.readouterr().err.replace("'aten-default', 'avx2', 'native', 'scalar'",
                                        "aten-default, avx2, native, scalar"))
    assert determinism.describe("avx2") == (
        "avx2 (ATEN_CPU_CAPABILITY=avx2 MKL_ENABLE_INSTRUCTIONS=AVX2 ONEDNN_MAX_CPU_ISA=AVX2)")


def test_determinism_help_says_what_each_option_does(capsys):
    import pytest

    with pytest.raises(SystemExit):
        determinism.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "`make determinism`: nbval over every notebook as other CPUs would run it." in text
    assert "only this configuration (repeatable; default: all)" in text
    assert "a CPU thread count to try (repeatable; default: 1 and 2)" in text
    assert "notebooks or folders (default: notebooks solutions)" in text


def test_nbval_runs_under_the_configuration_and_thread_count(monkeypatch):
    calls = []

    def fake_run(command, cwd, env):
        calls.append((command, cwd, env))
        return tools.subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr(determinism.subprocess, "run", fake_run)
    passed, seconds = determinism.run_nbval("scalar", 2, ["notebooks/a.ipynb"])
    assert passed is False and seconds >= 0
    ((command, cwd, env),) = calls
    assert command[1:] == ["-m", "pytest", "-q", "notebooks/a.ipynb"] and cwd == ROOT
    assert env["OMP_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "2"
    assert env["ATEN_CPU_CAPABILITY"] == "default" and env["ONEDNN_MAX_CPU_ISA"] == "AVX2"


def test_the_kernel_is_installed_into_the_environment_under_the_course_name(monkeypatch):
    calls = []
    monkeypatch.setattr(tools.subprocess, "run",
                        lambda command, **kw: calls.append((command, kw)))
    tools.install_kernel("/env/bin/python")
    tools.install_kernel("/env/bin/python", prefix="/tmp/k")
    assert calls[0][0] == ["/env/bin/python", "-m", "ipykernel", "install", "--sys-prefix",
                           "--name", "python3", "--display-name", "Python 3 (RNN course)"]
    assert calls[1][0][4:6] == ["--prefix", "/tmp/k"]
    assert calls[0][1] == {"check": True, "capture_output": True}


def test_a_notebook_runs_in_its_folder_with_the_course_kernel(tmp_path, monkeypatch):
    import nbformat

    monkeypatch.setattr(tools, "ipc_available", lambda: True)
    client = tools.notebook_client(nbformat.v4.new_notebook(), tmp_path / "a.ipynb",
                                   record_timing=False)
    assert client.kernel_name == "python3" and client.timeout == tools.CELL_TIMEOUT_S == 600
    assert client.resources == {"metadata": {"path": str(tmp_path)}}
    assert client.record_timing is False
    config = tools.kernel_config()
    assert config.KernelManager.transport == "ipc"
    assert config.KernelManager.ip.startswith(str(Path(tools.tempfile.gettempdir())))
    assert config.KernelManager.ip.endswith(f"rnn-course-kernel-{tools.os.getpid()}")


# What a maintainer's shell may already hold: another CPU setting and other thread counts.
CALLERS_ENVIRONMENT = {
    "ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX512",
    "ONEDNN_MAX_CPU_ISA": "AVX512_CORE", "DNNL_MAX_CPU_ISA": "AVX2", "MKL_CBWR": "COMPATIBLE",
    "OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2", "MKL_DOMAIN_NUM_THREADS": "MKL_BLAS=2",
}


def nbval_environment(monkeypatch, name: str, threads: int) -> dict[str, str]:
    """The environment that `run_nbval` gives nbval's pytest, with CALLERS_ENVIRONMENT set."""
    for key, value in CALLERS_ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    seen = []
    monkeypatch.setattr(determinism.subprocess, "run", lambda command, cwd, env: (
        seen.append(env) or tools.subprocess.CompletedProcess(command, 0)))
    determinism.run_nbval(name, threads, ["notebooks/a.ipynb"])
    return seen[0]


@pytest.mark.parametrize("name", sorted(determinism.CONFIGS))
def test_each_configuration_wins_over_the_callers_environment(monkeypatch, name):
    env = nbval_environment(monkeypatch, name, 1)
    settings = {key: env[key] for key in CALLERS_ENVIRONMENT if key in env}
    # Exactly the configuration's switches ("native": none), and the thread count asked for.
    assert settings == {**determinism.CONFIGS[name], "OMP_NUM_THREADS": "1",
                        "MKL_NUM_THREADS": "1"}
    assert env["PATH"] == os.environ["PATH"]  # the rest of the environment is kept


PROBE = "import torch; print(torch.backends.cpu.get_cpu_capability(), torch.get_num_threads())"


def test_torch_computes_as_the_configuration_says_whatever_the_caller_set(monkeypatch):
    """In the process nbval runs in: PyTorch's kernels and thread count are the configuration's,
    not the ones a variable already in the caller's environment asked for."""
    clean = {k: v for k, v in os.environ.items() if k not in CALLERS_ENVIRONMENT}
    envs = [{**clean, "OMP_NUM_THREADS": "1"}, nbval_environment(monkeypatch, "native", 1),
            nbval_environment(monkeypatch, "aten-default", 1)]
    probes = [subprocess.Popen([sys.executable, "-c", PROBE], env=env, stdout=subprocess.PIPE,
                               text=True) for env in envs]  # side by side: a torch import each
    this_cpu, native, aten_default = (p.communicate(timeout=120)[0].split() for p in probes)
    assert this_cpu[1] == "1" and this_cpu[0] != "DEFAULT"
    assert native == this_cpu
    assert aten_default == ["DEFAULT", "1"]


def test_determinism_names_the_callers_cpu_settings_it_replaces(monkeypatch, capsys):
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "avx2")
    monkeypatch.setattr(determinism, "run_nbval", lambda name, threads, paths: (True, 1.0))
    assert determinism.main(["--config", "native", "--threads", "1"]) == 0
    assert capsys.readouterr().out.startswith(
        "ignoring ATEN_CPU_CAPABILITY=avx2 from the environment: each configuration sets its "
        "own\n== nbval, native")
