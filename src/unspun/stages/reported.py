"""What reported speech gives: the words (a clause), or only the topic of a speech act.

"The minister said the dam was safe" reports content; "Trump described Iran's crimes in detail", "the jury found
the man not guilty" and "Warren called a meeting to discuss it" name only what the act was about or what was done.
PolNeAR annotates both as attributions, so the tagger finds both. The quotes stage keeps the second kind apart
as a view (no one's words are given), and the claims stage does not let it source a sentence, whose facts are
then the author's.
"""

from __future__ import annotations

from unspun import lexicon
from unspun.runtime import offsets

_FINITE = frozenset(("VBD", "VBZ", "VBP", "MD"))
_CLAUSE_OPENERS = frozenset("that whether if why how what when where who".split())


def reports_content(text: str, start: int, end: int, cue: str | None = None) -> bool:
    """Whether reported speech without quotation marks gives what was said, a clause ("that the dam is safe", "the
    state would not raise taxes", "whether …"; after a statement verb also an infinitive, "threatened to withhold
    aid"), rather than only naming a speech act's object ("Trump described Iran's crimes in detail", "the jury found
    the man not guilty"). In the second case the sentence's facts are the author's, so it is no attribution."""
    found = offsets.tokens_in(text, start, end)
    if found is None:
        return True  # no parse to judge by
    _, span = found
    if span[0].lower_ in _CLAUSE_OPENERS or any(t.dep_ == "mark" and t.lower_ in ("that", "whether", "if")
                                                for t in span):
        return True
    # the tokens the span hangs from ("reporters" and "raise" in "told reporters the state would not raise taxes");
    # an adverbial clause is no content ("… in more detail than anyone ever did", "called a meeting to discuss it")
    tops = [t for t in span if (t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i)
            and t.dep_ != "advcl"]
    if any(t.tag_ in _FINITE or any(c.tag_ in _FINITE for c in t.children if c.dep_ in ("aux", "auxpass"))
           for t in tops):
        return True
    verbal = any(t.tag_ in ("VB", "VBG") for t in tops) or any(t.tag_ == "TO" for t in span[:3])
    return verbal and lexicon.reports_speech(cue) is True
