import pytest

from course_utils.params import check_parameters

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
    ("epochs", "15", "epochs='15' is not allowed"),
    ("lr", 0, "lr=0 is not allowed: lr must be a number > 0"),
    ("lr", -0.1, "lr=-0.1 is not allowed"),
    ("lr", True, "lr=True is not allowed"),
    ("hidden_size", 0, "hidden_size=0 is not allowed: hidden_size must be an integer >= 1"),
    ("sweep_seeds", 0, "sweep_seeds=0 is not allowed"),
    ("temperature", 0, "temperature=0 is not allowed: temperature must be a number > 0"),
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
    message = str(info.value)
    assert "use only one character ('a')" in message
    assert 'e.g. source="abab", target="baba"' in message


@pytest.mark.parametrize("source, target", [("abab", "baba"), ("aaaa", "bbbb"), ("我我", "我们")])
def test_two_different_characters_are_enough(source, target):
    check_parameters(**{**GOOD, "source": source, "target": target})
