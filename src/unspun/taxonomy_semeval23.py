"""The 23 persuasion techniques of SemEval-2023 Task 3 (subtask 3), as plain data, with their map to the 14 of PTC.

Why a module of its own: `unspun.taxonomy` builds both taxonomies from data, and keeping the 23 rows here (names,
families, texts, colours, and the relation to the 2020 scheme) keeps that module short. The names are the task's
labels character for character, as in its `techniques_subtask3.txt` (the hyphen in "Appeal_to_Fear-Prejudice",
"Name_Calling-Labeling", ...). Families follow the task paper: attack on reputation, justification,
simplification, distraction, call, manipulative wording.

The definitions and examples are unspun's own wording; every example sentence is invented. `ptc14` lists the
techniques of PTC (SemEval-2020 Task 11) that cover the same ground, and `relation` says how:
- `same`: one technique in both schemes (at most renamed);
- `split`: a 2020 technique that the 2023 scheme divides among several (the 2020 one covers this and more);
- `nearest`: no 2020 technique covers it; the closest, for rough comparison only;
- `none`: nothing in the 2020 scheme comes close.
docs/taxonomies.md gives the table and what was measured on the articles both corpora annotate.
"""

from __future__ import annotations

FAMILIES: tuple[tuple[str, str], ...] = (
    ("attack_on_reputation", "Attack on reputation"),
    ("justification", "Justification"),
    ("simplification", "Simplification"),
    ("distraction", "Distraction"),
    ("call", "Call"),
    ("manipulative_wording", "Manipulative wording"),
)

# (id, name, family, definition, example, colour, relation, ptc14 names)
ROWS: tuple[tuple[str, str, str, str, str, str, str, tuple[str, ...]], ...] = (
    # --- attack on reputation
    ("s23_name_calling_labeling", "Name_Calling-Labeling", "attack_on_reputation",
     "Pins a label on a person or group, an insult or a flattering tag, so that the audience judges the label "
     "rather than what the target did or said.",
     "The so-called reformers have shown their true colours again.", "#E7A3E0", "same", ("Name_Calling,Labeling",)),
    ("s23_guilt_by_association", "Guilt_by_Association", "attack_on_reputation",
     "Discredits a person or idea by linking it to someone or something the audience already despises.",
     "The plan is backed by the same people who praised the old dictatorship.", "#CFE89A", "split",
     ("Bandwagon,Reductio_ad_hitlerum",)),
    ("s23_doubt", "Doubt", "attack_on_reputation",
     "Casts suspicion on a claim, a decision or the competence of those behind it, often by hinting rather than "
     "showing that something is wrong.",
     "Are we really supposed to trust figures that arrived a week late?", "#C0C0C0", "split", ("Doubt",)),
    ("s23_appeal_to_hypocrisy", "Appeal_to_Hypocrisy", "attack_on_reputation",
     "Rejects a position by accusing whoever holds it of not living up to it themselves, instead of answering it.",
     "She wants us to drive less, yet she flies to every conference.", "#C9B3F5", "split",
     ("Whataboutism,Straw_Men,Red_Herring",)),
    ("s23_questioning_the_reputation", "Questioning_the_Reputation", "attack_on_reputation",
     "Undermines the character or standing of a person or group, so that whatever they say loses weight, without "
     "addressing what they say.",
     "Nobody in that office has ever held a real job, so why listen to them now?", "#F4B6C2", "split", ("Doubt",)),
    # --- justification
    ("s23_flag_waving", "Flag_Waving", "justification",
     "Justifies a stance by tying it to the pride, identity or interests of a group, so that opposing it feels "
     "like betraying the group.",
     "Every loyal citizen of this valley will vote for the new dam.", "#FB8072", "same", ("Flag-Waving",)),
    ("s23_appeal_to_authority", "Appeal_to_Authority", "justification",
     "Treats a claim as true because an expert, an official or a famous name endorses it, in place of evidence.",
     "A famous surgeon says the diet works, and that should settle it.", "#80B1D3", "same", ("Appeal_to_Authority",)),
    ("s23_appeal_to_popularity", "Appeal_to_Popularity", "justification",
     "Argues that something is right or good because many people, or 'everybody', already accept it.",
     "Half the town has already signed up, so you should too.", "#B3DE69", "split",
     ("Bandwagon,Reductio_ad_hitlerum",)),
    ("s23_appeal_to_values", "Appeal_to_Values", "justification",
     "Supports a position by invoking values the audience holds dear, such as tradition, fairness, freedom or faith, "
     "as if they settled the matter.",
     "Protecting the old market is simply the decent thing to do.", "#F7C59F", "nearest", ("Flag-Waving",)),
    ("s23_appeal_to_fear_prejudice", "Appeal_to_Fear-Prejudice", "justification",
     "Wins support by stirring up fear of what might happen, or by feeding prejudice against a group, instead of "
     "arguing the case.",
     "Let them build the shelter and watch the crime on your street double.", "#FDB462", "same",
     ("Appeal_to_fear-prejudice",)),
    # --- simplification
    ("s23_causal_oversimplification", "Causal_Oversimplification", "simplification",
     "Blames a complex outcome on a single cause or culprit and leaves out everything else that played a part.",
     "The harvest failed for one reason: the new trade deal.", "#8DD3C7", "same", ("Causal_Oversimplification",)),
    ("s23_false_dilemma_no_choice", "False_Dilemma-No_Choice", "simplification",
     "Presents two options as the only ones, or one option as the only possible one, hiding the alternatives.",
     "Either we close the library or we raise your taxes.", "#BEBADA", "same", ("Black-and-White_Fallacy",)),
    ("s23_consequential_oversimplification", "Consequential_Oversimplification", "simplification",
     "Claims that a first step will set off a chain of ever worse consequences, without showing why each link "
     "must follow.",
     "Allow one food truck in the square and soon there will be no square left.", "#B5E6D8", "nearest",
     ("Causal_Oversimplification", "Appeal_to_fear-prejudice")),
    # --- distraction
    ("s23_straw_man", "Straw_Man", "distraction",
     "Replaces the opponent's actual position with a weaker or distorted version of it, and attacks that instead.",
     "My rival wants longer school days, so he clearly thinks children should never play.", "#D6C7A1", "split",
     ("Whataboutism,Straw_Men,Red_Herring",)),
    ("s23_red_herring", "Red_Herring", "distraction",
     "Pulls attention away from the issue under discussion by bringing in a topic that merely seems related.",
     "Why discuss the bridge repairs when the football team just won the cup?", "#99AAFF", "split",
     ("Whataboutism,Straw_Men,Red_Herring",)),
    ("s23_whataboutism", "Whataboutism", "distraction",
     "Answers a criticism by pointing to a supposedly similar wrong done by the critic or someone else, instead of "
     "answering it.",
     "You complain about our waiting lists, but what about the queues in their hospitals?", "#A8D0F0", "split",
     ("Whataboutism,Straw_Men,Red_Herring",)),
    # --- call
    ("s23_slogans", "Slogans", "call",
     "Packs a stance into a short, punchy phrase that is easy to repeat and hard to argue with.",
     "Fair fares, full trains!", "#D4A373", "same", ("Slogans",)),
    ("s23_conversation_killer", "Conversation_Killer", "call",
     "Closes down discussion with a phrase that discourages further thought, such as a stock saying or a dismissal.",
     "It is what it is, so let us move on.", "#E8F5C8", "same", ("Thought-terminating_Cliches",)),
    ("s23_appeal_to_time", "Appeal_to_Time", "call",
     "Presses for action by insisting that the moment has come or is about to pass, so there is no time to weigh "
     "the choice.",
     "The window closes on Friday; after that it will be too late to save the pier.", "#F2F2A0", "nearest",
     ("Slogans", "Appeal_to_fear-prejudice")),
    # --- manipulative wording
    ("s23_loaded_language", "Loaded_Language", "manipulative_wording",
     "Uses words and phrases with a strong emotional charge so that the wording, not the argument, sways the reader.",
     "The board's reckless gamble has gutted the pension fund.", "#FFED6F", "same", ("Loaded_Language",)),
    ("s23_obfuscation_vagueness_confusion", "Obfuscation-Vagueness-Confusion", "manipulative_wording",
     "Stays deliberately unclear, so that the audience can read into the words whatever it likes, and the speaker "
     "cannot be pinned down.",
     "Certain steps will be taken at the appropriate level in due course.", "#DDDDDD", "none", ()),
    ("s23_exaggeration_minimisation", "Exaggeration-Minimisation", "manipulative_wording",
     "Makes something look far bigger, better or worse than it is, or shrinks it until it seems not to matter.",
     "The spill was a few drops of oil, hardly worth a mention.", "#FCCDE5", "same", ("Exaggeration,Minimisation",)),
    ("s23_repetition", "Repetition", "manipulative_wording",
     "Repeats the same word, phrase or message throughout the text so that it sticks and comes to feel true.",
     "Safe roads now. Safe roads for our kids. Safe roads, whatever it costs.", "#BFE3FF", "same", ("Repetition",)),
)

__all__ = ["FAMILIES", "ROWS"]
