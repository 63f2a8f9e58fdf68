"""The persuasion-technique taxonomies unspun labels with: the 14 of SemEval-2020 Task 11 (the PTC corpus, `ptc14`,
the default) and the 23 of SemEval-2023 Task 3 (`semeval23`, defined in `unspun.taxonomy_semeval23`).

Why a module of its own: the technique names are an external contract. They are the labels of the training data,
of `unspun ptc predict` / `classify` output and of the official scorers, so they must match the task's strings
character for character ("Exaggeration,Minimisation" with an s, "Bandwagon,Reductio_ad_hitlerum" with a small h).
Everything else (the stages, the renderers, the web UI, `GET /api/v1/techniques`) looks techniques up here, so a
name, its stable short `id` (a technique item's `definition_id`), the explanation shown to readers and the
highlight colour are defined once.

The definitions and examples are unspun's own wording; the example sentences are invented. Colours are light
tints, all distinct, that keep dark text readable (contrast of at least 4.5:1 against #222222).

`TECHNIQUES`, `NAMES`, `IDS` and `by_name` are the 14 (`ptc14`), as before. `get(name)` returns either taxonomy as a
`Taxonomy`; a Document names its own in `doc.taxonomy`. Ids are unique across both taxonomies (the 23 start with
`s23_`), so a `definition_id` alone says which one it belongs to, and `by_id` finds it in either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from unspun.taxonomy_semeval23 import FAMILIES as _FAMILIES_23
from unspun.taxonomy_semeval23 import ROWS as _ROWS_23


@dataclass(frozen=True, slots=True)
class TechniqueInfo:
    """One technique of the taxonomy.

    `id` is stable and short (snake_case); `name` is the task's label; `colour` is `#RRGGBB`; `family` is the
    SemEval-2023 family id (None for the 14, which have no families).
    """

    id: str
    name: str
    definition: str
    example: str
    colour: str
    family: str | None = None


TECHNIQUES: tuple[TechniqueInfo, ...] = (
    TechniqueInfo(
        id="appeal_to_authority",
        name="Appeal_to_Authority",
        definition=(
            "Treats a claim as settled because an expert, official or famous person backs it, "
            "instead of showing evidence for it."
        ),
        example="Dozens of Nobel laureates have signed the letter, so the matter is closed.",
        colour="#80B1D3",
    ),
    TechniqueInfo(
        id="appeal_to_fear_prejudice",
        name="Appeal_to_fear-prejudice",
        definition=(
            "Wins support by stirring up alarm about what will happen, or by playing on the audience's "
            "existing hostility towards a group, rather than by argument."
        ),
        example="If this bill passes, your children will not be safe walking to school.",
        colour="#FDB462",
    ),
    TechniqueInfo(
        id="bandwagon_reductio_ad_hitlerum",
        name="Bandwagon,Reductio_ad_hitlerum",
        definition=(
            "Pushes a view because 'everyone' already holds it, or rejects one because a despised "
            "person or group is said to hold it."
        ),
        example="Millions have already switched, so why are you still waiting?",
        colour="#B3DE69",
    ),
    TechniqueInfo(
        id="black_and_white_fallacy",
        name="Black-and-White_Fallacy",
        definition=(
            "Offers only two options, as if nothing lay in between, so that rejecting one seems to force "
            "the other."
        ),
        example="Either you back the new checkpoints or you side with the smugglers.",
        colour="#BEBADA",
    ),
    TechniqueInfo(
        id="causal_oversimplification",
        name="Causal_Oversimplification",
        definition=(
            "Pins a complex outcome on one cause, or one culprit, while leaving out everything else "
            "that contributed to it."
        ),
        example="Prices went up for one reason only: the mayor's new parking rules.",
        colour="#8DD3C7",
    ),
    TechniqueInfo(
        id="doubt",
        name="Doubt",
        definition=(
            "Undermines trust in a person, group or institution by casting suspicion on their honesty "
            "or competence, often through insinuating questions."
        ),
        example="Can we really believe a committee that has been wrong so many times before?",
        colour="#C0C0C0",
    ),
    TechniqueInfo(
        id="exaggeration_minimisation",
        name="Exaggeration,Minimisation",
        definition=(
            "Blows something up beyond its real size, or shrinks it until it looks trivial, to steer "
            "how it is judged."
        ),
        example="The protest was the biggest act of defiance this country has ever seen.",
        colour="#FCCDE5",
    ),
    TechniqueInfo(
        id="flag_waving",
        name="Flag-Waving",
        definition=(
            "Justifies a position by tying it to patriotism or to the pride and identity of a group, "
            "so that opposing it feels like disloyalty."
        ),
        example="Any true patriot will stand behind our farmers on this.",
        colour="#FB8072",
    ),
    TechniqueInfo(
        id="loaded_language",
        name="Loaded_Language",
        definition=(
            "Chooses words with a strong emotional charge, positive or negative, so the wording itself "
            "does the persuading."
        ),
        example="The council rammed through its disastrous scheme overnight.",
        colour="#FFED6F",
    ),
    TechniqueInfo(
        id="name_calling_labeling",
        name="Name_Calling,Labeling",
        definition=(
            "Attaches a label to the target, an insult or a flattering tag, so the audience reacts "
            "to the label instead of to the person or idea."
        ),
        example="The usual armchair experts were quick to complain.",
        colour="#E7A3E0",
    ),
    TechniqueInfo(
        id="repetition",
        name="Repetition",
        definition=(
            "Says the same message over and over in the text, so that it sticks and starts to feel true."
        ),
        example="They lied about the budget. They lied about the schools. They lied to you.",
        colour="#BFE3FF",
    ),
    TechniqueInfo(
        id="slogans",
        name="Slogans",
        definition="Uses a short, catchy phrase that packs a stance into a memorable formula.",
        example="Clean streets, safe streets!",
        colour="#D4A373",
    ),
    TechniqueInfo(
        id="thought_terminating_cliches",
        name="Thought-terminating_Cliches",
        definition=(
            "Ends the discussion with a stock phrase that sounds wise but discourages anyone from "
            "thinking the matter through."
        ),
        example="Rules are rules, and that is all there is to it.",
        colour="#E8F5C8",
    ),
    TechniqueInfo(
        id="whataboutism_straw_men_red_herring",
        name="Whataboutism,Straw_Men,Red_Herring",
        definition=(
            "Dodges a criticism by pointing at the critic's own failings, attacks a distorted version "
            "of the opposing view, or steers attention to an unrelated topic."
        ),
        example="Before lecturing us on pollution, maybe they should fix their own rivers.",
        colour="#99AAFF",
    ),
)

NAMES: tuple[str, ...] = tuple(t.name for t in TECHNIQUES)
IDS: tuple[str, ...] = tuple(t.id for t in TECHNIQUES)

_BY_NAME: dict[str, TechniqueInfo] = {t.name: t for t in TECHNIQUES}
_BY_ID: dict[str, TechniqueInfo] = {t.id: t for t in TECHNIQUES}


def by_name(name: str) -> TechniqueInfo:
    """The technique with this exact SemEval-2020 Task 11 name; `KeyError` if there is none."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown technique name {name!r}; expected one of {', '.join(NAMES)}") from None


def by_id(technique_id: str) -> TechniqueInfo:
    """The technique with this short id (a technique item's `definition_id`), in either taxonomy; `KeyError` if none."""
    found = _BY_ID.get(technique_id) or SEMEVAL23._by_id.get(technique_id)
    if found is None:
        raise KeyError(f"unknown technique id {technique_id!r}; expected one of {', '.join(IDS)} or a semeval23 id")
    return found


@dataclass(frozen=True)
class Taxonomy:
    """One technique scheme: its techniques in a fixed order, their lookups, and (for SemEval-2023) its families."""

    name: str  # ptc14 | semeval23: the value of a Document's `taxonomy`
    title: str
    techniques: tuple[TechniqueInfo, ...]
    families: tuple[tuple[str, str], ...] = ()  # (family id, title), in the task's order
    _by_name: dict[str, TechniqueInfo] = field(init=False, repr=False, compare=False)
    _by_id: dict[str, TechniqueInfo] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {t.name: t for t in self.techniques})
        object.__setattr__(self, "_by_id", {t.id: t for t in self.techniques})

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.techniques)

    def by_name(self, name: str) -> TechniqueInfo:
        """The technique with this exact label; `KeyError` naming the taxonomy if there is none."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"unknown {self.name} technique name {name!r}; expected one of {', '.join(self.names)}") from None

    def by_id(self, technique_id: str) -> TechniqueInfo:
        try:
            return self._by_id[technique_id]
        except KeyError:
            raise KeyError(f"unknown {self.name} technique id {technique_id!r}") from None

    def family_members(self, family: str) -> tuple[TechniqueInfo, ...]:
        return tuple(t for t in self.techniques if t.family == family)


def _semeval23() -> Taxonomy:
    techniques = tuple(TechniqueInfo(tid, name, definition, example, colour, family)
                       for tid, name, family, definition, example, colour, _, _ in _ROWS_23)
    return Taxonomy("semeval23", "SemEval-2023 Task 3: 23 techniques in 6 families", techniques, _FAMILIES_23)


PTC14 = Taxonomy("ptc14", "PTC / SemEval-2020 Task 11: 14 techniques", TECHNIQUES)
SEMEVAL23 = _semeval23()
DEFAULT = "ptc14"
TAXONOMIES: dict[str, Taxonomy] = {PTC14.name: PTC14, SEMEVAL23.name: SEMEVAL23}
TAXONOMY_NAMES: tuple[str, ...] = tuple(TAXONOMIES)


def get(name: str | None = None) -> Taxonomy:
    """The taxonomy called `name` (`ptc14` or `semeval23`; None means the default, `ptc14`); `KeyError` otherwise."""
    try:
        return TAXONOMIES[name or DEFAULT]
    except KeyError:
        raise KeyError(f"unknown taxonomy {name!r}; expected one of {', '.join(TAXONOMY_NAMES)}") from None


def lookup(name: str, taxonomy: str | None = None) -> TechniqueInfo:
    """A technique by name for display: in `taxonomy` (default ptc14) first, then in the other one.

    Six names are in both schemes (Loaded_Language, Doubt, Repetition, ...), with their own ids and definitions, so
    renderers pass the Document's taxonomy; any other name belongs to one scheme only and is found either way.
    `KeyError` when no taxonomy has it."""
    first = get(taxonomy)
    for candidate in (first, *(t for t in TAXONOMIES.values() if t is not first)):
        found = candidate._by_name.get(name)
        if found is not None:
            return found
    raise KeyError(f"unknown technique name {name!r} in any taxonomy")


_TO_PTC14: dict[str, tuple[str, ...]] = {row[1]: row[7] for row in _ROWS_23}
_RELATION: dict[str, str] = {row[1]: row[6] for row in _ROWS_23}
_FROM_PTC14: dict[str, tuple[str, ...]] = {
    n: tuple(name for name, ptc in _TO_PTC14.items() if n in ptc) for n in NAMES
}


def to_ptc14(semeval23_name: str) -> tuple[str, ...]:
    """The PTC techniques that cover a SemEval-2023 technique (empty for Obfuscation-Vagueness-Confusion)."""
    SEMEVAL23.by_name(semeval23_name)  # KeyError for an unknown name
    return _TO_PTC14[semeval23_name]


def from_ptc14(ptc14_name: str) -> tuple[str, ...]:
    """The SemEval-2023 techniques that a PTC technique covers, in the 2023 list's order (never empty)."""
    by_name(ptc14_name)
    return _FROM_PTC14[ptc14_name]


def relation(semeval23_name: str) -> str:
    """How a SemEval-2023 technique relates to the 14: `same`, `split`, `nearest` or `none` (see docs/taxonomies.md)."""
    SEMEVAL23.by_name(semeval23_name)
    return _RELATION[semeval23_name]


__all__ = ["DEFAULT", "IDS", "NAMES", "PTC14", "SEMEVAL23", "TAXONOMIES", "TAXONOMY_NAMES", "TECHNIQUES", "Taxonomy",
           "TechniqueInfo", "by_id", "by_name", "from_ptc14", "get", "lookup", "relation", "to_ptc14"]
