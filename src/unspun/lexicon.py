"""The words that report speech, and the nouns for people by their role, in one place: which cue makes a quote,
which verb makes a source or a claim's attribution, which description stands for a person or a body.

Why one module: the quotes, claims, sources and actors stages each need "is this a reporting verb?" or "is this a
role?", and separate lists drift apart. Where two stages use different sets on purpose, both are named here, one
derived from the other, with the reason beside it. The shared spaCy pipeline runs without a lemmatiser, so the lists hold lemmas and `forms` spells out
the inflections the stages match against.

The groups follow the communication frames of FrameNet (Statement, Telling, Questioning, Reporting, Judgment
communication): a verb is a *statement* verb when its subject says or writes something to someone. Verbs of
thinking, wanting, knowing and deciding are not: "Trump knew that …" or "the CIA decided to …" attribute a state
of mind or an act, not words, and a fact-checker cannot check them against anything the person said.
"""

from __future__ import annotations

import re

# Saying, telling, writing, asking, answering, and speech acts that carry content (warn, promise, accuse, deny …).
STATEMENT = frozenset("""
say tell state add explain warn claim argue insist note write complain admit acknowledge confirm deny announce
declare assert contend maintain allege accuse testify comment remark observe reply respond answer ask question
retort counter rebut dispute reject concede disagree recall repeat reiterate stress emphasise emphasize
underline caution urge demand plead appeal promise pledge vow threaten predict recommend advise suggest
propose describe call label brand dub term characterise characterize praise criticise criticize condemn denounce
decry blast slam attack lament boast brag joke quip mention cite quote post tweet retweet blog report reveal
disclose inform notify proclaim pronounce whisper shout yell scream cry exclaim mutter murmur sigh conclude
estimate find show indicate point_out speculate theorise theorize posit hypothesise hypothesize clarify elaborate
detail outline summarise summarize charge lash_out hit_back speak
""".split())
# Verbs of mind and will: not quotes (see the module docstring).
MIND = frozenset("""
believe think know feel want wish hope expect fear worry wonder doubt suspect assume guess imagine understand
realise realize recognise recognize decide plan intend try seek aim hope mean consider regard see view
""".split())

_IRREGULAR = {
    "say": ("said",), "tell": ("told",), "write": ("wrote", "written"), "find": ("found",), "think": ("thought",),
    "know": ("knew", "known"), "feel": ("felt",), "mean": ("meant",), "see": ("saw", "seen"), "hit": ("hit",),
    "seek": ("sought",), "understand": ("understood",), "cry": ("cried", "cries"), "speak": ("spoke", "spoken"),
}
_VOWELS = "aeiou"


def forms(lemmas: frozenset[str] | set[str]) -> frozenset[str]:
    """Every inflection of the lemmas (base, -s, -ed, -ing and the irregular forms) in lower case."""
    out: set[str] = set()
    for lemma in lemmas:
        word = lemma.split("_")[0]
        out.update(_inflect(word))
        out.update(_IRREGULAR.get(word, ()))
    return frozenset(out)


def _inflect(word: str) -> tuple[str, ...]:
    if word.endswith("e"):
        return word, word + "s", word + "d", word[:-1] + "ing"
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word, word[:-1] + "ies", word[:-1] + "ied", word + "ing"
    if word.endswith(("s", "sh", "ch", "x", "z")):
        return word, word + "es", word + "ed", word + "ing"
    if (len(word) >= 3 and word[-1] not in _VOWELS + "wxy" and word[-2] in _VOWELS and word[-3] not in _VOWELS
            and word in _DOUBLING):
        return word, word + "s", word + word[-1] + "ed", word + word[-1] + "ing"
    return word, word + "s", word + "ed", word + "ing"


# Short verbs that double their last consonant (commit → committed); the rest of the lexicon does not.
_DOUBLING = frozenset("admit quip blog plan stop regret".split())

# Nouns that name words said or written ("Corker's announcement that …", "in a statement, …").
STATEMENT_NOUNS = frozenset("""
statement statements announcement announcements remark remarks comment comments testimony claim claims assertion
assertions allegation allegations accusation accusations warning warnings interview interviews tweet tweets post
posts letter letters speech speeches address message messages editorial column op-ed reply response answer
question questions words quote quotes declaration pledge promise promises threat threats argument arguments
""".split())

STATEMENT_FORMS = forms(STATEMENT)
MIND_FORMS = forms(MIND)


def finite(lemmas: frozenset[str] | set[str]) -> frozenset[str]:
    """The base, -s and simple past form of each lemma (no -ing form, no participle), in lower case."""
    out: set[str] = set()
    for lemma in lemmas:
        word = lemma.split("_")[0]
        base, third, past, _ = _inflect(word)
        out.update((base, third, _IRREGULAR.get(word, (past,))[0]))
    return frozenset(out)


# Verbs whose subject is the source of what follows (the sources stage): statement verbs that present content as
# coming from someone, plus "believe" ("officials believe …" still names who holds the view) and "publish".
REPORTING = frozenset("""
say tell report claim state announce confirm warn add note write conclude insist argue explain allege suggest
estimate acknowledge admit deny reveal show find assert declare maintain contend predict accuse tweet disclose
indicate describe
""".split()) | frozenset({"believe", "publish"})
# The sources stage matches these inflected forms: the finite ones, and the few -ing forms and participles it
# was tuned with ("sources telling", "a report written by").
REPORTING_FORMS = finite(REPORTING) | frozenset("saying telling reporting claiming written shown posted".split())
# The claims stage's attribution check ("X said" makes a sentence attributed) was tuned with a narrower set:
# without declare, describe, disclose, indicate, maintain, publish and reveal, with "testify" and "post", and no
# -ing form but "saying". Kept apart on purpose: widening it changes which claims count as attributed.
CLAIM_REPORTING = (REPORTING - frozenset("declare describe disclose indicate maintain publish reveal".split())
                   | frozenset({"testify", "post"}))
CLAIM_REPORTING_FORMS = finite(CLAIM_REPORTING) | frozenset({"saying", "shown"})
# The plain saying verbs: their subject is credited with what follows even with no clause after it ("Officials
# told reporters …"). The claims stage asks every other statement verb for a clause ("found that …", not "found
# him not guilty").
SAYING = frozenset("""
say tell state claim report announce confirm insist argue warn note add write tweet post allege explain testify
acknowledge admit assert contend deny
""".split())
# Speech acts whose object states the speaker's position ("recommends a national campaign", "criticised the
# agency for waiting", "denied the charges"): with them a noun phrase is what was said, where after "described",
# "discussed" or "called" it names only a topic or an act.
STANCE = frozenset("""
urge demand plead appeal promise pledge vow threaten recommend advise suggest propose praise criticise criticize
condemn denounce decry blast slam lament accuse deny confirm reject dispute question charge
""".split())
# Statement verbs with a physical sense ("enemies attack whoever's nearest"): no attribution by themselves.
PHYSICAL = frozenset("attack blast slam charge hit_back lash_out cry".split())

# --- nouns for people and bodies by their role --------------------------------------------------------------
# Titles and roles that stand for a person named earlier ("the senator said"; the quotes stage's speakers).
PERSON_NOUNS = frozenset(
    "president senator governor candidate nominee spokesman spokeswoman spokesperson minister secretary mayor "
    "congressman congresswoman representative chairman chairwoman leader ambassador general official director "
    "judge businessman billionaire actor host author lawyer attorney speaker".split()
)
# Descriptions that stand for an organisation or state named earlier ("the company said").
ORG_NOUNS = frozenset(
    "group organization organisation company firm agency department ministry campaign party committee "
    "administration government team office network newspaper paper outlet channel union council court "
    "board movement coalition alliance bank institute foundation association".split()
)
# People described rather than named ("One café owner said …"), who a later "she said" may refer to: the titles
# plus everyday roles, which are no title of anyone named.
DESCRIBED_PERSON_NOUNS = PERSON_NOUNS | frozenset(
    "owner resident worker farmer teacher mother father woman man girl boy voter student doctor nurse employee "
    "shopkeeper fisherman fishermen protester activist witness neighbour neighbor parent wife husband daughter son "
    "veteran survivor victim customer passenger driver officer soldier priest pastor nun manager founder "
    "economist scientist researcher professor analyst engineer "
    # kin and companions ("Hadvar's uncle", "her brother")
    "uncle aunt brother sister cousin nephew niece grandfather grandmother grandson granddaughter friend "
    "boyfriend girlfriend fiance fiancee stepfather stepmother".split()
)
# People and bodies that stand for their owner in a label ("its criminal leadership", "his corrupt allies"; the
# actors stage): plurals and collectives too, since a label may name a whole camp.
OWNER_ROLE_NOUNS = frozenset(
    """leader leaders leadership president minister government administration army forces troops soldiers allies
    proxies officials rulers elite elites friends backers sponsors masters cronies henchmen supporters followers
    spokesman spokeswoman spokesperson media propagandists agents militias""".split()
)

# Words that may come before the verb in a cue and say nothing about it ("has also said", "would later tell").
_CUE_FILLER = frozenset("""
has have had having was were is are be been being also repeatedly would could will may might must shall should
not never n't t s ’s 's just then later already previously further again once recently publicly privately
quickly often still on in at the a an he she they it who which that himself herself themselves even and to did
does do first last earlier yesterday today
""".split())
_CUE_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|:")


_BE = frozenset("is was are were been being be 's ’s".split())


def _filler(word: str) -> bool:
    return (word in _CUE_FILLER or word.endswith(("n't", "n’t"))
            or (word.endswith("ly") and word not in STATEMENT_FORMS))  # "clearly", "hadn't"; not "reply"


# _BE's forms, plus the other helper verbs ("won", "wo", "ca" of "won't", "can't" as the tokenizer splits them)
_AUXILIARIES = _BE | frozenset("""am has have had having do does did will would can could shall should may might must
won wo ca""".split())


def auxiliary_only(cue: str | None) -> bool:
    """A cue of auxiliaries alone ("are", "won" of "won't"): the tagger took a helper verb for the report; it reports
    no one's words. (An adverb alone, "publicly [blamed …]", "reportedly [considering …]", stands before the verb
    the content opens with, so it is no such cue.)"""
    words = _CUE_WORD.findall((cue or "").lower())
    return bool(words) and all(w in _AUXILIARIES for w in words)


def cue_verb(cue: str | None) -> str | None:
    """The first word of a cue that is not an auxiliary, adverb or pronoun, in lower case (":" for a colon)."""
    for word in _CUE_WORD.findall((cue or "").lower()):
        if not _filler(word):
            return word
    return None


def _passive(cue: str) -> bool:
    """"is said", "was reported", "were suspected": the subject is what was said, not who said it."""
    words = [w for w in _CUE_WORD.findall(cue.lower()) if not (w.endswith("ly") and w not in STATEMENT_FORMS)]
    return any(a in _BE and b.endswith(("ed", "id", "ld", "wn", "en")) for a, b in zip(words, words[1:]))


def reports_speech(cue: str | None) -> bool | None:
    """Whether a quote cue reports its subject's words: True for a statement verb or noun, "according to" or a
    colon; False for a verb of mind or will, a passive ("is said to"), or any other word; None when the cue holds
    no word to judge."""
    word = cue_verb(cue)
    if word is None:
        return None
    if word == ":" or word == "according":
        return True
    if _passive(cue or "") and "quoted as" not in (cue or "").lower():
        return False
    return word in STATEMENT_FORMS or word in STATEMENT_NOUNS

# A reference to a place in a publication ("Page A8", "Section 3", "Fig. 2", "Vol. 12"): NER tags these as names,
# but no one is called "Page B1".
_REFERENCE = re.compile(
    r"(?:page|pages|p|pp|section|sec|chapter|ch|figure|fig|table|vol|volume|no|item|part|appendix|annex|exhibit)"
    r"\.?\s*[A-Z]?\d[\w.-]*\b",
    re.IGNORECASE,
)


def is_reference(name: str) -> bool:
    """Whether an entity's text is a page, section or figure reference rather than a name."""
    return bool(_REFERENCE.match(name.strip()))
