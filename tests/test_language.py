"""Language identification: English passes quietly, other languages get a warning."""

from unspun.language import detect, warning_for


def test_english():
    lang, prob = detect("The council voted on Monday to close the library, citing a shortfall in the budget.")
    assert lang == "en" and warning_for(lang, prob) is None


def test_other_languages_are_flagged():
    for text, code in [
        ("Die Regierung hat am Dienstag neue Maßnahmen angekündigt, um die Inflation zu bremsen.", "de"),
        ("Le gouvernement a annoncé mardi de nouvelles mesures pour freiner l'inflation.", "fr"),
        ("Правительство объявило во вторник о новых мерах по сдерживанию инфляции.", "ru"),
    ]:
        lang, prob = detect(text)
        assert lang == code
        assert code in warning_for(lang, prob)


def test_too_little_text_to_tell():
    assert detect("12 34 !!") == (None, 0.0)
    assert warning_for(None, 0.0) is None
