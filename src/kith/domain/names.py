"""How names are searched and sorted: case, accents, punctuation and spacing set aside.

`fold("Chloé")` is "chloe" and `fold("Ångström")` is "angstrom", so a search for "chloe" or
"angstrom" finds them, and "Zoë" sorts next to "Zoe" rather than after "Zoe Zhang". The
order of folded names is the order of the Unicode Collation Algorithm's first level for
Latin, Greek and Cyrillic names (letters with accents, strokes and ligatures count as their
base letters: "Søren" as "soren", "Łukasz" as "lukasz", "Æsa" as "aesa"); other scripts keep
their letters, in code point order. Punctuation separates words ("Jean-Luc" is "jean luc")
and apostrophes join them ("O'Brien" is "obrien").

The store keeps each person's folded name in a column of its own (`people.name_fold`),
indexed and compared byte by byte, so that SQLite and PostgreSQL search and order alike.
This is not `kith.domain.identity.name_key`, which matches display names across imports and
keeps accents ("José" and "Jose" may be two people; `kith people --duplicates` says so).
"""

from __future__ import annotations

import re
import unicodedata

#: the longest folded name kept (people.name_fold holds 300 characters)
MAX_LENGTH = 300

#: letters that Unicode does not decompose into a base letter and a mark
_BASE_LETTERS = str.maketrans(
    {
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ı": "i",
        "ƀ": "b",
        "ɨ": "i",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ŋ": "n",
        "ĸ": "k",
    }
)
#: apostrophes: a word with one is one word ("O'Brien", "N’Diaye")
_APOSTROPHES = str.maketrans(dict.fromkeys("'’ʼ`´‘", None))
#: anything but letters and digits separates words
_SEPARATORS = re.compile(r"[\W_]+")


def fold(name: str) -> str:
    """`name` as it is searched and sorted: lower case, no accents, words of letters and
    digits separated by single spaces; "" when no letter or digit is left."""
    if name.isascii():
        text = name.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", name).casefold()
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
        text = text.translate(_BASE_LETTERS)
    text = _SEPARATORS.sub(" ", text.translate(_APOSTROPHES)).strip()
    return text[:MAX_LENGTH].rstrip()


def sort_key(name: str) -> str:
    """What a person's name is stored as for searching and sorting (`people.name_fold`):
    the folded name, or for a name with no letter or digit at all ("🙂"), the name in lower
    case, so that it still sorts (after the letters) and can be found."""
    return fold(name) or " ".join(name.casefold().split())[:MAX_LENGTH]
