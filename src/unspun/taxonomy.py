"""The 14 persuasion techniques unspun labels, named exactly as in SemEval-2020 Task 11 (the PTC corpus).

Why a module of its own: the technique names are an external contract. They are the labels of the training data,
of `unspun ptc predict` / `classify` output and of the official scorers, so they must match the task's strings
character for character ("Exaggeration,Minimisation" with an s, "Bandwagon,Reductio_ad_hitlerum" with a small h).
Everything else (the stages, the renderers, the web UI, `GET /api/v1/techniques`) looks techniques up here, so a
name, its stable short `id` (a technique item's `definition_id`), the explanation shown to readers and the
highlight colour are defined once.

The definitions and examples are unspun's own wording; the example sentences are invented. Colours are light
tints, all distinct, that keep dark text readable (contrast of at least 4.5:1 against #222222).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TechniqueInfo:
    """One technique of the taxonomy.

    `id` is stable and short (snake_case); `name` is the SemEval-2020 Task 11 label; `colour` is `#RRGGBB`.
    """

    id: str
    name: str
    definition: str
    example: str
    colour: str


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
    """The technique with this short id (a technique item's `definition_id`); `KeyError` if there is none."""
    try:
        return _BY_ID[technique_id]
    except KeyError:
        raise KeyError(f"unknown technique id {technique_id!r}; expected one of {', '.join(IDS)}") from None


__all__ = ["IDS", "NAMES", "TECHNIQUES", "TechniqueInfo", "by_id", "by_name"]
