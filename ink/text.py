"""What the synthetic writer writes: the character set, English-like lines, French names.

* :data:`CHARSET` -- the characters every font of :mod:`ink.hershey` really has;
  :func:`check_text` raises one ValueError naming any other character.
* :func:`random_sentence` -- a line of common English words, the length of an IAM-OnDB line
  (about 30 characters), with capitals and punctuation now and then.
* :func:`random_name` -- a French-style first name or surname in CAPITALS, like the scanned
  Kaggle names, or (:func:`made_up_name`) a name-like string on no list.

The word and name lists are written into this module, so no download is needed.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ink.hershey import FONTS, font_charset

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
PUNCTUATION = ".,'-!?:;\"()/"
_WANTED = " " + LETTERS + DIGITS + PUNCTUATION


def _charset() -> str:
    have = frozenset.intersection(*(font_charset(f) for f in FONTS))
    return "".join(c for c in _WANTED if c in have)


CHARSET: str = _charset()

# About 400 frequent English words (function words first, then nouns, verbs, adjectives).
WORDS: tuple[str, ...] = tuple(
    dict.fromkeys(
        """
the of and to in is was that for it as with he his on be at by had not are but from or have
an they which one you were her all she there would their we him been has when who will more no
if out so said what up its about into than them can only other new some could time these two
may then do first any my now such like our over man me even most made after also did many
before must through back years where much your way well down should because each just those
people how too little state good very make world still own see men work long get here between
both life being under never day same another know while last might us great old year off come
since against go came right used take three states himself few house use during without again
place around however home small found thought went say part once general high upon school every
does got united left number course war until always away something fact though water less
public put think almost hand enough far took head yet government system better set told nothing
night end why called didn find going look asked later knew point next program city business give
group toward young days let room president side social present given several order national
possible rather second face per among form important often things looked early white case john
become large big need four within felt children along saw best church ever least power
development light thing seemed family interest want members mind country area others although
turned done open god service problem certain kind different thus began door help sense means
whole matter perhaps itself york times law human line above name example action company hands
local show whether five history gave today either act feet across taken past quite anything
having seen death experience body word half really week field money car words already
information tell shall together college period held keep sure probably free real seems behind
cannot miss political air question making office brought whose special heard major problems ago
became federal moment study available known result street economic boy position reason change
south board individual job society areas west close turn love community true court force full
seem am front wife morning further policy rate leave road toward girl summer trade surplus
story red sat late talk minutes plan watch garden letter river music friends evening table paper
window sun tree green spring market village clear quiet strong short simple happy warm
""".split()
    )
)

FIRST_NAMES: tuple[str, ...] = tuple(
    """
LOUIS GABRIEL JULES ADAM HUGO ARTHUR RAPHAEL LEO PAUL NATHAN LUCAS ETHAN THEO NOAH MAEL
CLEMENT ANTOINE MAXIME THOMAS BAPTISTE NICOLAS JULIEN MATHIEU PIERRE ALEXANDRE VALENTIN
QUENTIN ROMAIN BENOIT GUILLAUME FLORIAN SEBASTIEN OLIVIER VINCENT XAVIER YANNICK LOIC
EMMA JADE LOUISE ALICE CHLOE LINA LEA ROSE ANNA MILA INES JULIA CAMILLE ZOE MANON SARAH
CLARA JEANNE LUCIE PAULINE MARGAUX ELODIE AMELIE OCEANE CELINE MATHILDE JULIETTE SOLENE
MARIE CHARLOTTE ELISE AGATHE MARGOT CAPUCINE ELSA NINA LOU ROMANE ANAIS CLAIRE SOPHIE
MARIE-LOU JEAN-LUC ANNE-SOPHIE
""".split()
)

SURNAMES: tuple[str, ...] = tuple(
    """
MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL
LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE
ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER
FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU
GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN
BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE
RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS
LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME
LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS
DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER
D'ALEMBERT LE-GOFF
""".split()
)


def check_text(text: str) -> str:
    """Return ``text`` unchanged, or raise a one-line ValueError naming the characters that
    are not in :data:`CHARSET`."""
    if not isinstance(text, str):
        raise ValueError(f"expected a string of text, got {type(text).__name__}")
    bad = sorted(set(text) - set(CHARSET))
    if bad:
        raise ValueError(
            f"text holds characters the Hershey fonts cannot write: {''.join(bad)!r} "
            f"(allowed: letters, digits, space and {PUNCTUATION})"
        )
    return text


def _rng(rng) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def random_sentence(
    rng=None, min_chars: int = 16, max_chars: int = 40, number_rate: float = 0.03
) -> str:
    """A line of common English words, ``min_chars`` to ``max_chars`` long (about); each word
    is a number (2-1999) with probability ``number_rate``."""
    rng = _rng(rng)
    target = int(rng.integers(min_chars, max_chars + 1))
    # Zipf-like: the first (most frequent) words come up more often, as in real text.
    p = 1.0 / (np.arange(len(WORDS)) + 10.0)
    p /= p.sum()
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < target:
        r = rng.random()
        if r < number_rate:
            words.append(str(int(rng.integers(2, 2000))))
        else:
            words.append(WORDS[rng.choice(len(WORDS), p=p)])
            if r > 0.97 and len(words) > 1:
                words[-1] += str(rng.choice([",", ",", ";", ":"]))
    if rng.random() < 0.3:
        words[0] = words[0].capitalize()
    if rng.random() < 0.08:
        k = int(rng.integers(len(words)))
        words[k] = '"' + words[k].strip(",;:") + '"'
    line = " ".join(words)
    if rng.random() < 0.25:
        line = line.rstrip(",;:") + str(rng.choice([".", ".", ".", "?", "!"]))
    return line


@cache
def _name_chain() -> tuple[tuple[str, ...], dict[str, np.ndarray]]:
    """A letter chain fitted to the name lists: for the last two letters (or, for a pair the
    lists never have, the last one, or else none), the probabilities of the next symbol (a
    capital, ``-``, ``'`` or the end ``$``). Every capital A-Z keeps some probability
    everywhere, W too, which no listed name has."""
    names = FIRST_NAMES + SURNAMES
    capitals = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    symbols = tuple(sorted(set(capitals) | set("".join(names)))) + ("$",)
    index = {c: i for i, c in enumerate(symbols)}
    counts: dict[str, np.ndarray] = {}
    for name in names:
        padded = "^^" + name + "$"
        for k in range(2, len(padded)):
            for ctx in (padded[k - 2 : k], padded[k - 1], ""):
                row = counts.setdefault(ctx, np.zeros(len(symbols)))
                row[index[padded[k]]] += 1
    floor = np.array([c in capitals for c in symbols], float)  # any capital, anywhere
    floor /= floor.sum()
    return symbols, {ctx: 0.85 * row / row.sum() + 0.15 * floor for ctx, row in counts.items()}


def is_listed_name(text: str) -> bool:
    """True for a name of the lists, or two surnames of them (what ``made_up=0`` draws)."""
    parts = text.split(" ")
    if len(parts) == 1:
        return text in FIRST_NAMES or text in SURNAMES
    return len(parts) == 2 and all(p in SURNAMES for p in parts)


def made_up_name(rng=None, min_len: int = 3, max_len: int = 12) -> str:
    """A name-like string in CAPITALS that is on neither name list, drawn letter by letter
    from :func:`_name_chain`. A recognizer trained only on the lists' 200-odd names learns
    the names, not the letters: it reads a new name as the nearest name it knows."""
    rng = _rng(rng)
    symbols, chain = _name_chain()
    while True:
        name = ""
        while len(name) < max_len:
            ctx = "^^" + name  # ^ marks the start, as in _name_chain
            p = chain.get(ctx[-2:], chain.get(ctx[-1], chain[""])).copy()
            if len(name) < min_len:
                p[-1] = 0.0  # no end yet
            c = symbols[rng.choice(len(symbols), p=p / p.sum())]
            if c == "$":
                break
            name += c
        if name[0].isalpha() and name[-1].isalpha() and not is_listed_name(name):
            return name


def random_name(rng=None, made_up: float = 0.0) -> str:
    """A first name or a surname in CAPITALS (now and then two surnames); with probability
    ``made_up`` a :func:`made_up_name` instead."""
    rng = _rng(rng)
    if made_up > 0 and rng.random() < made_up:
        return made_up_name(rng)
    r = rng.random()
    if r < 0.5:
        return str(rng.choice(FIRST_NAMES))
    if r < 0.95:
        return str(rng.choice(SURNAMES))
    return f"{rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
