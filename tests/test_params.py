import pytest

from course_utils.params import check_parameters, is_int, is_number

GOOD = dict(source="hello", target="ohlol", seed=0, epochs=15, lr=0.1, hidden_size=8,
            sweep_seeds=100, temperature=0.8, device="auto")


def test_good_parameters_pass():
    check_parameters(**GOOD)


# One row per rule: the parameter, a bad value, and what the message must say.
BAD = [
    ("source", "", "source is empty"),
    ("target", "hi", "source 'hello' has 5 characters, target 'hi' has 2"),
    ("target", 5, "target must be a str"),
    ("seed", -1, "seed=-1 is not allowed: seed must be an integer >= 0"),
    ("seed", 1.0, "seed=1.0 is not allowed"),
    ("epochs", 0, "epochs=0 is not allowed: epochs must be an integer >= 1"),
    ("epochs", -3, "epochs=-3 is not allowed: epochs must be an integer >= 1"),
    ("epochs", "15", "epochs='15' is not allowed"),
    ("lr", 0, "lr=0 is not allowed: lr must be a number > 0"),
    ("lr", -0.1, "lr=-0.1 is not allowed"),
    ("lr", True, "lr=True is not allowed"),
    ("hidden_size", 0, "hidden_size=0 is not allowed: hidden_size must be an integer >= 1"),
    ("hidden_size", -8, "hidden_size=-8 is not allowed"),
    ("sweep_seeds", 0, "sweep_seeds=0 is not allowed"),
    ("sweep_seeds", -100, "sweep_seeds=-100 is not allowed: sweep_seeds must be an integer >= 1"),
    ("temperature", 0, "temperature=0 is not allowed: temperature must be a number > 0"),
    ("temperature", -0.8, "temperature=-0.8 is not allowed: temperature must be a number > 0"),
    ("temperature", "0.8", "temperature='0.8' is not allowed"),
    ("device", "gpu", "device='gpu' is not allowed: device must be one of"),
]


@pytest.mark.parametrize("name, value, message", BAD)
def test_each_bad_parameter_is_named(name, value, message):
    with pytest.raises(ValueError) as info:
        check_parameters(**{**GOOD, name: value})
    assert message in str(info.value)


def test_unknown_parameter_is_an_error():
    with pytest.raises(ValueError, match=r"unknown parameter\(s\) \['epoch'\]"):
        check_parameters(epoch=3)


def test_a_pair_of_one_character_is_refused_with_a_fix():
    with pytest.raises(ValueError) as info:
        check_parameters(**{**GOOD, "source": "aaaa", "target": "aaaa"})
    assert str(info.value) == (
        "source 'aaaa' and target 'aaaa' use only one character ('a'): the models of these "
        "lessons choose one character per step, and with a single character every prediction "
        "is right and the loss is 0 before any training. Use at least two different "
        'characters, e.g. source="abab", target="baba".')


@pytest.mark.parametrize("source, target", [("abab", "baba"), ("aaaa", "bbbb"), ("我我", "我们")])
def test_two_different_characters_are_enough(source, target):
    check_parameters(**{**GOOD, "source": source, "target": target})


# The smallest value each rule accepts: a rule that excluded its own boundary would stop the
# notebooks' documented examples (epochs=1 for a quick run, seed=0 the default).
@pytest.mark.parametrize("name, value", [
    ("seed", 0), ("epochs", 1), ("hidden_size", 1), ("sweep_seeds", 1), ("lr", 1e-6),
    ("lr", 3), ("temperature", 0.01), ("device", "cpu"), ("device", "cuda"), ("device", "auto"),
])
def test_the_boundary_values_pass(name, value):
    check_parameters(**{**GOOD, name: value})


def test_is_int_takes_ints_in_range_only():
    assert is_int(0) and is_int(-5) and is_int(5, low=5) and is_int(5, high=5)
    assert is_int(3, low=1, high=3) and not is_int(4, low=1, high=3)
    assert not is_int(0, low=1) and not is_int(6, high=5)
    assert not is_int(True) and not is_int(1.0) and not is_int("1")


def test_is_number_takes_ints_and_floats_but_not_bools():
    assert is_number(0) and is_number(-2.5)
    assert not is_number(False) and not is_number("1") and not is_number(None)


def test_the_error_names_every_known_parameter():
    with pytest.raises(ValueError) as info:
        check_parameters(lr=0.1, epoch=3, sead=1)
    assert str(info.value) == (
        "unknown parameter(s) ['epoch', 'sead']; known: ['device', 'embedding_size', 'epochs', "
        "'hidden_size', 'languages', 'lr', 'max_number', 'seed', 'source', 'sweep_seeds', "
        "'target', 'temperature'].")


def test_a_missing_source_or_target_is_an_error_not_a_traceback():
    with pytest.raises(ValueError, match="source must be a str, got NoneType"):
        check_parameters(target="hello")
    with pytest.raises(ValueError, match="target must be a str, got NoneType"):
        check_parameters(source="hello")


def test_the_message_says_what_is_allowed_and_gives_an_example():
    with pytest.raises(ValueError) as info:
        check_parameters(epochs=0)
    assert str(info.value) == ("parameter epochs=0 is not allowed: epochs must be an integer "
                               ">= 1, e.g. epochs=15.")
    with pytest.raises(ValueError) as info:
        check_parameters(device="gpu")
    assert str(info.value) == ("parameter device='gpu' is not allowed: device must be one of "
                               "['auto', 'cpu', 'cuda'].")


# A misspelt parameter (typed in the parameters cell, or given to papermill, which only logs a
# warning) would run the notebook with the default: check_parameters reads the cells that ran
# just before it from IPython's history (`In`) and names it.
PARAMETERS_CELL = 'seed = 0  # the seed\nepochs = 15\nhidden_size = 8\n'
CHECK_CELL = "check_parameters(seed=seed, epochs=epochs, hidden_size=hidden_size)"


def run_check(*cells: str) -> None:
    """Run CHECK_CELL as a notebook would, after ``cells`` (the kernel's history `In`)."""
    namespace = {"check_parameters": check_parameters, "seed": 0, "epochs": 15,
                 "hidden_size": 8, "In": ["", "import torch", *cells, CHECK_CELL]}
    exec(CHECK_CELL, namespace)


def test_a_misspelt_parameter_from_papermill_is_named_with_the_right_name():
    with pytest.raises(ValueError) as info:
        run_check(PARAMETERS_CELL, "# Parameters\nhiden_size = 16\n")
    assert str(info.value) == (
        "hiden_size is not a parameter of this notebook, so setting it changes nothing: did "
        "you mean hidden_size? This notebook's parameters are: epochs, hidden_size, seed. "
        "Correct the name in the parameters cell (or in papermill's -p), or remove it.")


def test_a_misspelt_parameter_typed_in_the_parameters_cell_is_named():
    with pytest.raises(ValueError, match="epoch is not a parameter.*did you mean epochs"):
        run_check(PARAMETERS_CELL + "epoch = 3\n")
    with pytest.raises(ValueError, match="sead is not a.*seed.*xyz is not a parameter of this "
                                         r"notebook, so setting it changes nothing\. This"):
        run_check("sead, xyz = 1, 2\n" + PARAMETERS_CELL)


@pytest.mark.parametrize("cells", [
    (PARAMETERS_CELL,),
    (PARAMETERS_CELL, "# Parameters\nhidden_size = 16\nepochs: int = 2\n"),
    ("hiden_size = 16", "print(1)", PARAMETERS_CELL),  # an older cell, not just before
    (PARAMETERS_CELL, CHECK_CELL),  # the check cell run twice
    ("hiden_size = 16", "x[0] = 1", PARAMETERS_CELL),  # not a cell of plain assignments
    ("hiden_size = 16", "def f(:", PARAMETERS_CELL),  # a cell with a syntax error
])
def test_known_names_and_older_cells_pass(cells):
    run_check(*cells)


def test_outside_a_notebook_there_is_no_history_to_read():
    # A plain script (the route on the GPU machine): no `In`, nothing read.
    namespace = {"check_parameters": check_parameters, "In": "not a history"}
    exec("check_parameters(seed=0)", namespace)
