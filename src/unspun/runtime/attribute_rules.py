"""The same token attributes as spaCy's attribute_ruler, found with a cache instead of its Matcher.

en_core_web_sm's attribute_ruler (179 patterns: the tag map, morph rules, a few dependency-based POS fixes) sets the
coarse POS, morphology and lemma exceptions that every stage reads. spaCy runs it through a general Matcher, which
took about a fifth of the whole parse here. Nearly all its patterns look at one token, and what they decide
depends only on that token's tag, lower-case form, dependency label and whether it is a space: so the answer is
computed once per distinct (tag, lower, dep, space) and cached. The few two-token patterns are checked directly.
spaCy's own `set_token_attrs` writes the attributes, in spaCy's order (pattern by pattern, later ones winning).

`install(nlp)` patches the ruler only when every pattern uses keys and operators this module reads (TAG, LOWER,
DEP, IS_SPACE; a value, IN, NOT_IN or REGEX); otherwise spaCy's Matcher stays. Tests compare every token attribute with
spaCy's own ruler on real articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import MethodType

CACHE_SIZE = 200_000
_KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}
Check = Callable[[tuple], bool]


def _check(constraint: dict) -> Check | None:
    """A predicate on a token's (tag, lower, dep, space) key; None if the constraint uses anything else."""
    tests: list[Callable[[tuple], bool]] = []
    for key, value in constraint.items():
        if key not in _KEYS:
            return None
        pos = list(_KEYS).index(key)
        if isinstance(value, (str, bool)):
            tests.append(lambda k, p=pos, v=value: k[p] == v)
        elif isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str):
            regex = re.compile(value["REGEX"])  # spaCy's REGEX operator searches the string value
            tests.append(lambda k, p=pos, r=regex: isinstance(k[p], str) and r.search(k[p]) is not None)
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
            (op, items), = value.items()
            allowed = frozenset(items)
            if op == "IN":
                tests.append(lambda k, p=pos, a=allowed: k[p] in a)
            else:
                tests.append(lambda k, p=pos, a=allowed: k[p] not in a)
        else:
            return None
    return lambda k: all(t(k) for t in tests)


def _key(tok) -> tuple:
    return (tok.tag_, tok.lower_, tok.dep_, tok.is_space)


class _Rules:
    def __init__(self, ruler) -> None:
        self.attrs = ruler.attrs
        self.multi: list[tuple[int, list[Check], int]] = []
        self.by_tag: dict[str, list[tuple[int, Check]]] = {}
        self.by_lower: dict[str, list[tuple[int, Check]]] = {}
        self.other: list[tuple[int, Check]] = []
        self.cache: dict[tuple, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        self.ok = True
        for i, entry in enumerate(ruler.patterns):
            index = entry.get("index", 0)
            for pattern in entry["patterns"]:
                checks = [_check(c) for c in pattern]
                if not pattern or any(c is None for c in checks) or not -len(pattern) <= index < len(pattern):
                    self.ok = False
                    return
                if len(pattern) == 1:
                    only = pattern[0]
                    if isinstance(only.get("TAG"), str):  # most patterns name one tag: look only at those
                        self.by_tag.setdefault(only["TAG"], []).append((i, checks[0]))
                    elif isinstance(only.get("LOWER"), str):
                        self.by_lower.setdefault(only["LOWER"], []).append((i, checks[0]))
                    else:
                        self.other.append((i, checks[0]))
                else:
                    self.multi.append((i, checks, index % len(pattern)))

    def first(self, key: tuple) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(the one-token patterns this token matches, the longer patterns whose first token it matches)."""
        found = self.cache.get(key)
        if found is None:
            if len(self.cache) >= CACHE_SIZE:  # a corpus run meets new words for ever: keep memory bounded
                self.cache.clear()
            candidates = self.by_tag.get(key[0], []) + self.by_lower.get(key[1], []) + self.other
            found = (tuple(sorted({i for i, check in candidates if check(key)})),
                     tuple(m for m, (_, checks, _) in enumerate(self.multi) if checks[0](key)))
            self.cache[key] = found
        return found

    def __call__(self, doc) -> None:
        from spacy.tokens._retokenize import set_token_attrs

        keys = [_key(tok) for tok in doc]
        firsts = [self.first(k) for k in keys]
        hits: list[list[int]] = [list(single) for single, _ in firsts]
        for s, (_, starts) in enumerate(firsts):
            for m in starts:
                i, checks, index = self.multi[m]
                if s + len(checks) <= len(keys) and all(check(keys[s + j]) for j, check in enumerate(checks) if j):
                    hits[s + index].append(i)
        for tok, found in zip(doc, hits):
            for i in sorted(set(found)):
                set_token_attrs(tok, self.attrs[i])


def install(nlp) -> bool:
    """Replace the attribute_ruler's matching with `_Rules`; returns whether it did (see the module docstring)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    rules = _Rules(ruler)
    if not rules.ok:
        return False

    def match(self, doc):  # noqa: ARG001 - the ruler's own method signature
        rules(doc)
        return []  # attributes are set; spaCy's set_annotations then has nothing left to do

    ruler.match = MethodType(match, ruler)
    return True
