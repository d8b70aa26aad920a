"""Bad parameters stop a notebook before any work, with a message that names them.

Three layers: a static check that every notebook passes every name of its parameters cell to
``check_parameters`` in the very next code cell; a table of bad values checked in-process (the
notebook's imports, its parameters cell, the new values, then its check cell, in a plain
namespace: no kernel, milliseconds a row); and one papermill run per notebook, end to end,
which shows that a value papermill injects reaches that check and stops the kernel there.
"""

import ast
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from tests.notebook_runner import execute
from tools.paths import ROOT

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


def code_cells(path: Path) -> tuple[list[str], int]:
    """The sources of the code cells, and the index of the parameters cell."""
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    index = next(i for i, c in enumerate(code) if "parameters" in c.metadata.get("tags", []))
    return [c.source for c in code], index


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_parameter_is_checked_right_after_the_parameters_cell(path):
    code, index = code_cells(path)
    names = parameter_names(code[index])
    assert names, f"{path.name}: the parameters cell assigns nothing"
    checked = checked_names(code[index + 1])
    assert names <= checked, f"{path.name}: not checked: {sorted(names - checked)}"


def check_in_process(name: str, *, injected: str | None = None, **parameters) -> None:
    """Run what the kernel runs before any work, as papermill would with ``parameters``: the
    import statements of the cells before the parameters cell, the parameters cell, the new
    values, and the check cell. ``injected``: the source of the cell papermill would inject,
    run and put in IPython's history (`In`) as the kernel does, for names that are no
    parameter (the check cell reads that history)."""
    path = ROOT / name if "/" in name else ROOT / "notebooks" / name
    code, index = code_cells(path)
    namespace: dict = {}
    for source in code[:index]:  # only the imports: no styles, thread settings or work
        tree = ast.parse(source)
        tree.body = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
        exec(compile(tree, f"<{name} imports>", "exec"), namespace)
    exec(code[index], namespace)
    unknown = set(parameters) - parameter_names(code[index])
    assert not unknown, f"{name} has no parameter {sorted(unknown)}"
    namespace.update(parameters)
    if injected is not None:
        exec(injected, namespace)
        namespace["In"] = ["", *code[:index + 1], injected, code[index + 1]]
    exec(code[index + 1], namespace)


def misspelt(name: str) -> str:
    """``name`` with a doubled letter written once (hidden_size -> hiden_size), or else its
    last letter doubled (lr -> lrr)."""
    double = next((i for i in range(len(name) - 1) if name[i] == name[i + 1]), None)
    return name + name[-1] if double is None else name[:double] + name[double + 1:]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_misspelt_parameter_is_named_with_the_right_name(path):
    code, index = code_cells(path)
    for right in sorted(parameter_names(code[index])):
        wrong = misspelt(right)
        with pytest.raises(ValueError) as info:
            check_in_process(str(path.relative_to(ROOT)), injected=f"{wrong} = 1\n")
        assert str(info.value).startswith(
            f"{wrong} is not a parameter of this notebook, so setting it changes nothing: did "
            f"you mean {right}? This notebook's parameters are: ")


def test_a_misspelt_parameter_stops_the_kernel_before_any_work(tmp_path):
    # papermill only logs "Passed unknown parameter: hiden_size"; the notebook must stop.
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute("03_embedding_rnn.ipynb", tmp_path, hiden_size=16)
    assert info.value.ename == "ValueError"
    assert "hiden_size is not a parameter of this notebook" in info.value.evalue
    assert "did you mean hidden_size?" in info.value.evalue
    assert info.value.exec_count == 4


# notebook, the bad values, what the error must say
ROWS = [
    ("01_rnncell_onehot.ipynb", {"source": ""}, ["source is empty"]),
    ("01_rnncell_onehot.ipynb", {"target": "hi"}, ["target 'hi' has 2"]),
    ("01_rnncell_onehot.ipynb", {"source": "hello", "target": "hi"},
     ["has 5 characters", "has 2"]),
    ("01_rnncell_onehot.ipynb", {"seed": -1}, ["seed=-1 is not allowed"]),
    ("01_rnncell_onehot.ipynb", {"epochs": 0}, ["epochs=0 is not allowed"]),
    ("01_rnncell_onehot.ipynb", {"epochs": "15"}, ["epochs='15' is not allowed"]),
    ("01_rnncell_onehot.ipynb", {"lr": 0}, ["lr=0 is not allowed"]),
    ("01_rnncell_onehot.ipynb", {"hidden_size": 0}, ["hidden_size=0 is not allowed"]),
    ("01_rnncell_onehot.ipynb", {"device": "gpu"}, ["device='gpu' is not allowed"]),
    ("02_nn_rnn_onehot.ipynb", {"sweep_seeds": 0}, ["sweep_seeds=0 is not allowed"]),
    ("03_embedding_rnn.ipynb", {"lr": -0.05}, ["lr=-0.05 is not allowed"]),
    ("solutions/04_homework_lstm_gru.ipynb", {"epochs": 2.5}, ["epochs=2.5 is not allowed"]),
    ("solutions/04_homework_lstm_gru.ipynb", {"sweep_seeds": 0},
     ["sweep_seeds=0 is not allowed"]),
    ("solutions/04_homework_lstm_gru.ipynb", {"source": "hello", "target": "ohlo"},
     ["source and target must have the same length"]),
    ("notebooks/04_homework_lstm_gru.ipynb", {"device": "tpu"}, ["device='tpu' is not allowed"]),
    ("05_gradients_through_time.ipynb", {"hidden_size": -4}, ["hidden_size=-4 is not allowed"]),
    ("05_gradients_through_time.ipynb", {"epochs": 0}, ["epochs=0 is not allowed"]),
    ("05_gradients_through_time.ipynb", {"device": "gpu"}, ["device='gpu' is not allowed"]),
    ("05_gradients_through_time.ipynb", {"lr": -1}, ["lr=-1 is not allowed"]),
    ("06_char_language_model.ipynb", {"temperature": 0}, ["temperature=0 is not allowed"]),
    ("06_char_language_model.ipynb", {"temperature": "hot"},
     ["temperature='hot' is not allowed"]),
    ("06_char_language_model.ipynb", {"epochs": 0}, ["epochs=0 is not allowed"]),
    ("06_char_language_model.ipynb", {"device": "tpu"}, ["device='tpu' is not allowed"]),
    ("07_variable_length.ipynb", {"languages": ["en", "klingon"]},
     ["['klingon'] not supported", "supported codes are: ar,"]),
    ("07_variable_length.ipynb", {"languages": ["fr"]}, ["at least two languages"]),
    ("07_variable_length.ipynb", {"languages": "en fr"}, ["must be a list"]),
    ("07_variable_length.ipynb", {"max_number": 5}, ["max_number=5 is not allowed"]),
    ("07_variable_length.ipynb", {"max_number": -100}, ["max_number=-100 is not allowed"]),
    ("07_variable_length.ipynb", {"embedding_size": 0}, ["embedding_size=0 is not allowed"]),
    ("07_variable_length.ipynb", {"epochs": -2}, ["epochs=-2 is not allowed"]),
    ("07_variable_length.ipynb", {"device": "gpu"}, ["device='gpu' is not allowed"]),
    ("07_variable_length.ipynb", {"sweep_seeds": 0}, ["sweep_seeds=0 is not allowed"]),
]
# Every pair that check_parameters accepts must work (tests/test_any_pair.py); a pair of one
# repeated character is refused, with a message that says how to fix it.
ROWS += [
    (name, {"source": "aaaa", "target": "aaaa"},
     ["use only one character ('a')", 'source="abab", target="baba"'])
    for name in ("01_rnncell_onehot.ipynb", "02_nn_rnn_onehot.ipynb", "03_embedding_rnn.ipynb")
]


def row_id(row) -> str:
    name, parameters, _ = row
    values = ",".join(f"{k}={v!r}" for k, v in parameters.items())
    return f"{Path(name).parent.name + '/' if '/' in name else ''}{Path(name).stem}-{values}"


@pytest.mark.parametrize("name, parameters, messages", ROWS, ids=[row_id(r) for r in ROWS])
def test_bad_parameter_stops_with_a_clear_error(name, parameters, messages):
    with pytest.raises(ValueError) as info:
        check_in_process(name, **parameters)
    for message in messages:
        assert message in str(info.value)


# One row per notebook through papermill and a kernel, end to end.
END_TO_END = [next(row for row in ROWS if row[0] == name)
              for name in dict.fromkeys(row[0] for row in ROWS)]


def test_every_notebook_has_an_end_to_end_row():
    names = {name if "/" in name else f"notebooks/{name}" for name, _, _ in END_TO_END}
    assert names == {str(path.relative_to(ROOT)) for path in NOTEBOOKS}


@pytest.mark.parametrize("name, parameters, messages", END_TO_END,
                         ids=[row_id(r) for r in END_TO_END])
def test_bad_parameter_stops_the_kernel_before_any_work(tmp_path, name, parameters, messages):
    with pytest.raises(pm.PapermillExecutionError) as info:
        execute(name, tmp_path, **parameters)
    assert info.value.ename == "ValueError"
    for message in messages:
        assert message in info.value.evalue
    # It stopped in the validation cell (imports, parameters, papermill's injected parameters,
    # then the check), before any training.
    assert info.value.exec_count == 4
