import pytest
import torch
from torch import nn

from course_utils.models import CharModel, lecture_embedding_model, lecture_onehot_rnn
from course_utils.text import make_pair


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("embedding_size", [10, None])
def test_scores_have_shape_batch_seq_vocab(cell, embedding_size):
    model = CharModel(4, cell=cell, embedding_size=embedding_size, hidden_size=6, num_layers=3)
    x = torch.tensor([[1, 0, 2, 2, 3], [0, 1, 2, 3, 3]])
    assert model(x).shape == (2, 5, 4)


def test_one_dimensional_input_is_a_batch_of_one():
    torch.manual_seed(0)
    model = CharModel(4)
    x = make_pair("hello", "ohlol").x
    assert model(x).shape == (1, 5, 4)
    torch.testing.assert_close(model(x), model(x.unsqueeze(0)))


def test_without_head_the_hidden_state_is_the_score():
    model = CharModel(4, hidden_size=4, head=False, num_layers=1)
    assert model.fc is None
    x = torch.tensor([[1, 0, 2, 2, 3]])
    out, _ = model.rnn(model.encode(x))
    torch.testing.assert_close(model(x), out)


def test_without_head_hidden_size_must_equal_num_class():
    with pytest.raises(AssertionError, match="hidden_size must equal num_class"):
        CharModel(4, hidden_size=8, head=False)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"cell": "transformer"}, "cell must be one of"),
        ({"hidden_size": 0}, "hidden_size"),
        ({"num_layers": 1.5}, "num_layers"),
        ({"embedding_size": -1}, "embedding_size"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(AssertionError, match=match):
        CharModel(4, **kwargs)


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (torch.zeros(1, 5, 4), "integer tensor"),
        (torch.zeros(1, 1, 5, dtype=torch.long), "shape"),
        (torch.tensor([1, 4]), "outside 0..3"),
    ],
)
def test_bad_input_is_explained(x, match):
    with pytest.raises(ValueError, match=match):
        CharModel(4)(x)


def test_same_seed_gives_same_weights_and_other_seed_does_not():
    def weights(seed):
        torch.manual_seed(seed)
        return [p.detach().clone() for p in CharModel(4, cell="lstm").parameters()]

    for a, b in zip(weights(3), weights(3), strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert not torch.equal(weights(3)[0], weights(4)[0])


def test_creation_order_is_emb_rnn_fc_with_the_lecture_names():
    names = [name.split(".")[0] for name, _ in CharModel(4).named_parameters()]
    assert list(dict.fromkeys(names)) == ["emb", "rnn", "fc"]


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_onehot_model_without_head_reproduces_plain_nn_rnn(seed):
    torch.manual_seed(seed)
    ours = lecture_onehot_rnn(4)
    torch.manual_seed(seed)
    plain = nn.RNN(4, 4, 1)
    torch.manual_seed(seed)
    cell = nn.RNNCell(4, 4)
    assert ours.config() == {"num_class": 4, "cell": "rnn", "embedding_size": None,
                             "hidden_size": 4, "num_layers": 1, "head": False}
    for name, p in plain.named_parameters():
        torch.testing.assert_close(getattr(ours.rnn, name), p, rtol=0, atol=0)
        torch.testing.assert_close(getattr(cell, name.removesuffix("_l0")), p, rtol=0, atol=0)
    pair = make_pair("hello", "ohlol")
    h, _ = plain(pair.x_one_hot.unsqueeze(1))  # lecture layout: (seq_len, batch, input_size)
    torch.testing.assert_close(ours(pair.x), h.transpose(0, 1))


def test_lecture_embedding_model_matches_the_lecture():
    torch.manual_seed(0)
    model = lecture_embedding_model(4)
    torch.manual_seed(0)
    emb = nn.Embedding(4, 10)
    rnn = nn.RNN(10, 8, num_layers=2, batch_first=True)
    fc = nn.Linear(8, 4)
    for ours, theirs in [(model.emb, emb), (model.rnn, rnn), (model.fc, fc)]:
        for a, b in zip(ours.parameters(), theirs.parameters(), strict=True):
            torch.testing.assert_close(a, b, rtol=0, atol=0)
    x = make_pair("hello", "ohlol").x.unsqueeze(0)
    torch.testing.assert_close(model(x), fc(rnn(emb(x), torch.zeros(2, 1, 8))[0]))
    assert lecture_embedding_model(4, cell="gru").rnn.mode == "GRU"
