"""Job titles reduced to the words that identify an occupation, and the features the coder reads.

Titles arrive in two dialects. Postings write them naturally ("Senior Bicycle Mechanic - Remote
(Nights)"); the Census Bureau's Alphabetical Index writes them the way coders look them up,
head word first ("Mechanic bicycle", "Supervisor dispatcher trains") with coder notes after a
backslash (``Finisher\\ ns`` = not specified) and exclusions (``Mechanic farm implement exc
engine``). :func:`normalise_title` brings both to one form; :func:`title_features` then makes the
word features order-free (each word and each unordered pair of words), so an inverted index
title and the natural posting title meet on the same features.
"""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "sr": "senior", "jr": "junior", "mgr": "manager", "mngr": "manager", "asst": "assistant",
    "assoc": "associate", "engr": "engineer", "eng": "engineer", "admin": "administrator",
    "rep": "representative", "tech": "technician", "techs": "technician", "coord": "coordinator",
    "dir": "director", "supv": "supervisor", "supvr": "supervisor", "spec": "specialist",
    "svc": "service", "mech": "mechanic", "maint": "maintenance", "opr": "operator",
    "oper": "operator", "insp": "inspector", "acct": "accountant", "clk": "clerk",
    "rn": "registered nurse", "lpn": "licensed practical nurse", "lvn": "licensed vocational nurse",
    "cna": "certified nursing assistant", "cdl": "commercial driver", "ml": "machine learning",
    "ai": "artificial intelligence", "swe": "software engineer", "sw": "software",
    "dev": "developer", "qa": "quality assurance", "hr": "human resources", "it": "information technology",
    "vp": "vice president", "ceo": "chief executive officer", "cfo": "chief financial officer",
    "cpa": "certified public accountant", "hvac": "heating ventilation air conditioning",
    "hvacr": "heating ventilation air conditioning refrigeration",
    "nursing": "nurse",  # "Nursing supervisor" is the index's "Supervisor nurses"
}
# posting noise and seniority levels: they say nothing about which occupation it is
# ("lead", "chief", "head", "helper", "apprentice" and "assistant" do, so they stay)
_NOISE = re.compile(
    r"\b(?:\d+\s*%\s*remote|fully remote|remote|hybrid|on[\s-]?site|work from home|wfh|"
    r"full[\s-]?time|part[\s-]?time|contract(?:or)? to hire|temp to hire|per diem|prn|"
    r"urgent(?:ly)? hiring|hiring immediately|now hiring|sign[\s-]?on bonus|bonus|"
    r"entry[\s-]?level|senior|junior|mid[\s-]?level|level [ivx0-9]+|l[1-9]|[ivx]{1,4}|[1-9])\b"
)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
# Census coder notes: everything after a backslash ("\ ns", "\ any not listed"), a cross
# reference ('See "Assembler"'), an exclusion clause ("exc engine", ", except special education")
# and "nec" (not elsewhere classified)
_CODER_NOTE = re.compile(r"\\.*$|\bsee\s+[\"'].*$", re.IGNORECASE)
_EXCLUSION = re.compile(r"(?:,\s*|\s)(?:exc|except|excluding)\b.*$", re.IGNORECASE)
_STOP = {"at", "w", "and", "of", "the", "for", "%", "in", "a", "an", "or", "to", "nec", "ns", "etc"}


def singular(word: str) -> str:
    """A plural folded to its singular the cheap way ("nurses" → "nurse", "bodies" → "body")."""
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def strip_coder_notes(text: str) -> str:
    """An index title without its coder notes and exclusions ("Mechanic\\ ns" → "Mechanic")."""
    return _EXCLUSION.sub("", _CODER_NOTE.sub("", text)).strip()


def bracketed(text: str) -> list[str]:
    """The asides in brackets ("CRT operator (cathode ray tube)" → ["cathode ray tube"])."""
    return [m.group(0)[1:-1] for m in _BRACKETS.finditer(text) if m.group(0)[1:-1].strip()]


def normalise_title(text: object) -> str:
    """A title reduced to what identifies the occupation: lower case, coder notes and exclusions
    dropped, abbreviations expanded, bracketed asides, seniority levels and posting noise
    ("100% Remote", "(L4)") removed, plurals folded ("Registered Nurses", "RN" → "registered nurse")."""
    if not isinstance(text, str):
        return ""
    s = _BRACKETS.sub(" ", strip_coder_notes(text).lower())
    s = re.sub(r"[^a-z0-9+#%]+", " ", s.replace("&", " and "))
    s = " ".join(ABBREVIATIONS.get(w, w) for w in s.split())
    s = _NOISE.sub(" ", s)
    return " ".join(singular(w) for w in s.split() if w not in _STOP)


def title_features(normalised: str) -> list[str]:
    """Order-free word features of a normalised title: each word, each unordered pair of words
    up to three apart, and the words at either end (``^word``: the head word sits first in an
    index title, last in a posting title).

    "mechanic bicycle" and "bicycle mechanic" share every feature; "supervisor dispatcher
    train" keeps the supervisor-train link a word bag would lose.
    """
    words = list(dict.fromkeys(normalised.split()))
    pairs = [f"{a}~{b}" if a < b else f"{b}~{a}"
             for i, a in enumerate(words) for b in words[i + 1:i + 4]]
    edges = [f"^{w}" for w in dict.fromkeys((words[0], words[-1]))] if len(words) > 1 else []
    return words + pairs + edges
