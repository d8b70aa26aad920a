"""Bad parameters stop a notebook before any work, with a message that names them.

Two layers: a static check that every notebook passes every name of its parameters cell to
``check_parameters`` in the very next code cell, and a table of papermill runs, one row per
rule, each on a notebook that has that parameter.
"""

import ast
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from tests.notebook_runner import execute

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
    (ROOT / "solutions").glob("*.ipynb"))


def parameter_names(source: str) -> set[str]:
    tree = ast.parse(source)
    return {t.id for node in tree.body if isinstance(node, ast.Assign)
            for t in node.targets if isinstance(t, ast.Name)}


def checked_names(source: str) -> set[str]:
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "check_parameters"):
            return {kw.arg for kw in node.keywords}
    return set()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_parameter_is_checked_right_after_the_parameters_cell(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    index = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    names = parameter_names(code[index].source)
    assert names, f"{path.name}: the parameters cell assigns nothing"
    checked = checked_names(code[index + 1].source)
    assert names <= checked, f"{path.name}: not checked: {sorted(names - checked)}"


# notebook, parameter, bad value, what the error must say
ROWS = [
    ("01_rnncell_onehot.ipynb", "source", "", "source is empty"),
    ("01_rnncell_onehot.ipynb", "target", "hi", "target 'hi' has 2"),
    ("01_rnncell_onehot.ipynb", "seed", -1, "seed=-1 is not allowed"),
    ("01_rnncell_onehot.ipynb", "epochs", 0, "epochs=0 is not allowed"),
    ("01_rnncell_onehot.ipynb", "epochs", "15", "epochs='15' is not allowed"),
    ("01_rnncell_onehot.ipynb", "lr", 0, "lr=0 is not allowed"),
    ("01_rnncell_onehot.ipynb", "hidden_size", 0, "hidden_size=0 is not allowed"),
    ("01_rnncell_onehot.ipynb", "device", "gpu", "device='gpu' is not allowed"),
    ("02_nn_rnn_onehot.ipynb", "sweep_seeds", 0, "sweep_seeds=0 is not allowed"),
    ("03_embedding_rnn.ipynb", "lr", -0.05, "lr=-0.05 is not allowed"),
    ("solutions/04_homework_lstm_gru.ipynb", "epochs", 2.5, "epochs=2.5 is not allowed"),
    ("notebooks/04_homework_lstm_gru.ipynb", "device", "tpu", "device='tpu' is not allowed"),
    ("05_gradients_through_time.ipynb", "hidden_size", -4, "hidden_size=-4 is not allowed"),
    ("06_char_language_model.ipynb", "temperature", 0, "temperature=0 is not allowed"),
    ("06_char_language_model.ipynb", "temperature", "hot", "temperature='hot' is not allowed"),
]


def row_id(row) -> str:
    name, parameter, value, _ = row
    return f"{name.replace('.ipynb', '')}-{parameter}={value!r}"


@pytest.mark.notebook
@pytest.mark.parametrize("name, parameter, value, message", ROWS, ids=[row_id(r) for r in ROWS])
def test_bad_parameter_stops_with_a_clear_error(tmp_path, name, parameter, value, message):
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute(name, tmp_path, **{parameter: value})
    assert info.value.ename == "ValueError"
    assert message in info.value.evalue
    # It stopped in the validation cell (imports, parameters, papermill's injected parameters,
    # then the check), before any training.
    assert info.value.exec_count == 4
