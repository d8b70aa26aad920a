from course_utils.words import quantity


def test_one_is_singular_and_everything_else_plural():
    assert quantity(1, "epoch") == "1 epoch"
    assert quantity(0, "epoch") == "0 epochs"
    assert quantity(15, "epoch") == "15 epochs"
    assert quantity(2, "match", "matches") == "2 matches"
    assert quantity(1, "match", "matches") == "1 match"
    assert quantity(1000, "seed") == "1,000 seeds"
    assert quantity(-1, "step") == "-1 steps"
