import pytest
import torch

from course_utils.text import Vocabulary, check_pair, make_pair, one_hot, preview


def test_vocabulary_is_sorted_and_matches_the_lecture():
    vocab = Vocabulary.from_texts("hello", "ohlol")
    assert vocab.chars == ("e", "h", "l", "o")
    assert len(vocab) == 4
    assert "h" in vocab and "z" not in vocab


def test_encode_decode_round_trip_including_unicode():
    vocab = Vocabulary.from_texts("hello", "ohlol")
    assert vocab.encode("hello") == [1, 0, 2, 2, 3]
    assert [vocab.index(c) for c in "ehlo"] == [0, 1, 2, 3]
    assert vocab.encode("ohlol") == [3, 1, 2, 3, 2]
    assert vocab.decode([1, 0, 2, 2, 3]) == "hello"
    assert vocab.decode(torch.tensor([[3, 1, 2, 3, 2]])) == "ohlol"
    chinese = Vocabulary.from_texts("你好世界", "界世好你")
    assert chinese.decode(chinese.encode("你好世界")) == "你好世界"


def test_unknown_character_is_named():
    vocab = Vocabulary.from_texts("hello")
    with pytest.raises(ValueError, match=r"\['z'\].*not in the vocabulary"):
        vocab.encode("hez")
    with pytest.raises(ValueError, match="'q' is not in the vocabulary"):
        vocab.index("q")


def test_decode_rejects_out_of_range_indices():
    with pytest.raises(ValueError, match=r"indices \[7\] are outside 0..3"):
        Vocabulary.from_texts("hello", "ohlol").decode([0, 7])


@pytest.mark.parametrize("bad", ["", None, 5, ["h"]])
def test_from_texts_rejects_empty_and_non_strings(bad):
    with pytest.raises((ValueError, TypeError), match="empty|must be a str"):
        Vocabulary.from_texts(bad)


def test_from_texts_needs_a_text():
    with pytest.raises(ValueError, match="at least one text"):
        Vocabulary.from_texts()


def test_one_hot_rows():
    rows = one_hot([1, 0, 3], 4)
    assert rows.dtype == torch.float32
    assert rows.tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]]
    with pytest.raises(ValueError, match="must lie in 0..3"):
        one_hot([4], 4)
    with pytest.raises(ValueError, match="at least 1"):
        one_hot([0], 0)


def test_check_pair_names_both_lengths():
    with pytest.raises(ValueError, match=r"'hello' has 5 characters, target 'hi' has 2"):
        check_pair("hello", "hi")
    with pytest.raises(ValueError, match="target is empty"):
        check_pair("hello", "")
    with pytest.raises(TypeError, match="source must be a str, got int"):
        check_pair(3, "abc")


def test_make_pair_builds_tensors_and_shared_vocabulary():
    pair = make_pair("hello", "ohlol")
    assert pair.x.tolist() == [1, 0, 2, 2, 3]
    assert pair.y.tolist() == [3, 1, 2, 3, 2]
    assert pair.x.dtype == torch.long
    assert pair.x_one_hot.shape == (5, 4)
    assert pair.x_one_hot.argmax(dim=1).tolist() == pair.x.tolist()
    # The target's characters are in the vocabulary even when the source lacks them.
    assert make_pair("ab", "cd").vocab.chars == ("a", "b", "c", "d")


def test_preview_cuts_long_texts_for_titles():
    assert preview("hello") == "'hello'"
    assert preview("我爱北京天安门") == "'我爱北京天安门'"
    assert preview("x" * 60) == "'" + "x" * 12 + "...'"
    assert preview("it's long enough to cut", limit=4) == "\"it's...\""
    with pytest.raises(ValueError, match="limit must be at least 1"):
        preview("hello", limit=0)


@pytest.mark.parametrize("source, target", [("hello", "ohlo"), ("ab", "abc"), ("我爱", "我")])
def test_make_pair_refuses_texts_of_different_lengths(source, target):
    # One output character per input character: a pair of unequal lengths cannot be learned.
    with pytest.raises(ValueError) as info:
        make_pair(source, target)
    assert str(info.value) == (
        f"source and target must have the same length: source {source!r} has {len(source)} "
        f"characters, target {target!r} has {len(target)}. The model writes one output "
        "character per input character, so pad or trim one of them.")


def test_make_pair_keeps_the_texts_and_refuses_non_strings():
    pair = make_pair("ab", "ba")
    assert (pair.source, pair.target) == ("ab", "ba")
    assert check_pair("ab", "ba") == ("ab", "ba")
    with pytest.raises(TypeError, match="target must be a str, got list"):
        make_pair("ab", ["b", "a"])


def test_the_error_messages_say_how_to_fix_them():
    with pytest.raises(TypeError) as info:
        check_pair(5, "ab")
    assert str(info.value) == ('source must be a str, got int (5). Put the text in quotes, '
                               'e.g. source="hello".')
    with pytest.raises(ValueError) as info:
        check_pair("", "ab")
    assert str(info.value) == ('source is empty. Give it at least one character, '
                               'e.g. source="hello".')
    vocab = Vocabulary.from_texts("hello")
    with pytest.raises(ValueError) as info:
        vocab.encode("hez!")
    assert str(info.value) == ("characters ['!', 'z'] of 'hez!' are not in the vocabulary "
                               "['e', 'h', 'l', 'o']. Build the vocabulary from every text you "
                               "will encode.")
    with pytest.raises(ValueError) as info:
        vocab.index("q")
    assert str(info.value) == ("character 'q' is not in the vocabulary ['e', 'h', 'l', 'o']. "
                               "Build the vocabulary from every text you will encode.")
    with pytest.raises(ValueError) as info:
        vocab.decode([0, 4, -1])
    assert str(info.value) == ("indices [4, -1] are outside 0..3 for a vocabulary of 4 "
                               "characters.")
    with pytest.raises(ValueError) as info:
        one_hot([0, 4], 4)
    assert str(info.value) == ("indices must lie in 0..3, got [0, 4]. Is num_classes the size "
                               "of the vocabulary?")
    with pytest.raises(ValueError) as info:
        one_hot([-1], 4)
    assert "must lie in 0..3, got [-1]" in str(info.value)
    with pytest.raises(ValueError) as info:
        Vocabulary.from_texts("ab", "")
    assert str(info.value).startswith("text 2 is empty.")


def test_decode_and_one_hot_at_their_edges():
    vocab = Vocabulary.from_texts("hello")
    assert vocab.decode([0, 3]) == "eo"  # the first and the last index
    assert vocab.decode([]) == ""
    with pytest.raises(ValueError, match=r"indices \[1.0\]"):
        vocab.decode([1.0])  # an index must be an int
    assert one_hot([], 3).shape == (0, 3)
    assert one_hot(torch.tensor([[2], [0]]), 3).tolist() == [[0, 0, 1], [1, 0, 0]]
    assert one_hot([0], 1).tolist() == [[1.0]]
    assert preview("x" * 12) == "'" + "x" * 12 + "'"  # exactly the limit: not cut
    assert preview("ab", limit=1) == "'a...'"
