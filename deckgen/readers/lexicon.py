"""The readers' one vocabulary: the words that say a line asks, labels an answer, or is filler.

Every reader takes its word lists from here (words in lower case; `opening(words)` makes
the case-insensitive "line starts with one of these words" pattern).
"""

from __future__ import annotations

import re

# Words that open a question ("What is …", "Is it …", "Could you …").
WH_WORDS = frozenset({"what", "what's", "whats", "why", "how", "how's", "when", "where", "which", "who",
                      "whom", "whose"})
INTERROGATIVES = WH_WORDS | frozenset({
    "is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would", "will", "shall",
    "may", "might", "has", "have", "had"})
# Imperatives that make a prompt a question on their own ("Define variance").
PROMPT_VERBS = frozenset({"explain", "describe", "compare", "contrast", "define", "discuss", "derive", "prove",
                          "summarize", "summarise", "differentiate", "distinguish", "elaborate"})
# Imperatives of interview tasks ("Write a function …", "Suppose …", "Tell me about …").
TASK_VERBS = frozenset({"list", "give", "given", "write", "draw", "show", "name", "outline", "illustrate",
                        "implement", "design", "suppose", "say", "assume", "imagine", "consider", "let", "let's",
                        "calculate", "compute", "estimate", "identify", "code"})
TASK_PHRASES = ("tell me", "walk me through")
# Imperatives that open a design prompt ("Design a feed ranker").
DESIGN_VERBS = frozenset({"design", "build", "implement", "create", "develop", "architect", "propose"})
# Any word a question or interview prompt may open with.
QUESTION_OPENERS = INTERROGATIVES | PROMPT_VERBS | TASK_VERBS | {p.split()[0] for p in TASK_PHRASES}

# Labels that title a part of an answer ("Example:", "Pros:"), never a question or topic of their own.
ANSWER_LABELS = frozenset({
    "example", "examples", "for example", "note", "notes", "pros", "cons", "advantages", "disadvantages",
    "benefits", "drawbacks", "limitations", "tip", "tips", "summary", "step", "steps", "solution", "answer",
    "code", "input", "output", "i/o", "result", "results", "explanation", "intuition", "formula", "definition",
    "key points", "key takeaways", "takeaways", "use case", "use cases", "usage", "how it works", "why it works",
    "when to use it", "in practice", "caveats", "references", "sources", "further reading", "tl;dr", "tldr",
    "why", "how", "what", "e.g", "i.e"})
# The words that label an answer line ("A:", "Ans.", "Answer:").
ANSWER_MARKERS = ("a", "ans", "answer")
# An answer that is still to be written.
PLACEHOLDER = re.compile(r"^\W*(not answered|no answer( yet)?|unanswered|tbd|todo|to do|n/?a|"
                         r"coming soon|answer( here)?|(answer )?to be (filled|added|written|completed)( in)?|"
                         r"\.\.\.|…)\W*$", re.I)
# Words too small to count in a title ("a", "of", "vs").
SMALL_WORDS = frozenset({"a", "an", "and", "or", "the", "of", "in", "on", "for", "to", "vs", "vs.", "with", "by",
                         "at", "from", "as", "into", "its", "it’s", "it's", "via", "per", "&", "-", "–", "—"})

# Chat filler: lines a chatbot or a note-taker wraps around answers (openers that talk
# about "the answers below", closers that wish luck or offer more help).
FILLER = re.compile(
    r"^(?:thank you|thanks)\b.{0,60}\b(?:for|so much)\b|\bfeel free to\b|\blet me know\b|"
    r"\b(?:hope|hopefully) (?:this|that|these|it|the above)(?: \w+)? (?:helps?|clears?|clarif|gives?|answers?|"
    r"is (?:helpful|useful|clear)|was (?:helpful|useful))|"
    r"\bhappy to help\b|\bglad (?:I|to) (?:could )?help\b|\bgood luck\b|"
    r"\ball the best(?: (?:with|for|in) (?:your|the)\b|\W*$)|"
    r"\bhappy (?:studying|learning|coding|prepping|preparing|interviewing|reading)\b|\breach out (?:if|with|any)\b|"
    r"\bwould you like me to\b|\banything else (?:you'?d|you would|I can)\b|"
    r"^(?:these|the above) (?:answers|explanations|responses|points|notes)\b.*\b(?:starting point|overview|"
    r"help|expanded)\b|^(?:sure|certainly|absolutely|of course|great question|good question|great|okay|ok|"
    r"alright)\s*[!,.]\s*(?:$|here\b|below\b|let\b|I\b|I'll\b|I’ll\b|happy\b|glad\b)|"
    r"^(?:below|here) (?:are|is) (?:a |an |the |some |my |more )?(?:\w+ ){0,3}"
    r"(?:answers|explanations|responses) (?:to|for|on) (?:your|the|these|each|all)\b|"
    r"\bask (?:for )?(?:further|more|any) (?:clarifications?|questions|details)\b",
    re.I)
# Filler that asks the reader something ("Would you like me to go deeper?").
CHAT_OFFER = re.compile(r"\bwould you like me to\b|\banything else (?:you'?d|you would|I can)\b", re.I)
# Calls to action that close a post: follow / repost / save / comment lines.
SIGNOFF = re.compile(
    r"^\W{0,4}(?:(?:follow|connect with)\s+(?:me|us|@\S+|(?-i:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}))"
    r"(?:\s+(?:for|on|to|and|if)\b|\W*$)|subscribe(?:\W*$| (?:for|now|to get)\b| to (?:my|our)\b)|"
    r"like and share|repost(?:\W*$| (?:if|this|it|so|to help)\b)|share (?:this|it)(?: post)? (?:with|if)\b|"
    r"if you (?:liked|enjoyed|found)|don'?t forget to (?:follow|like|subscribe|share|save)|join my newsletter|"
    r"save (?:this|it)(?: post)? (?:for|so|to (?:read|revisit|come back))\b|bookmark (?:this|it)\b|"
    r"comment below|drop (?:a|your) (?:comment|like|note|line|thought|question|💬|👍|❤|\W)|"
    r"tag (?:someone|a friend)|found this (?:useful|helpful)|hit (?:the )?(?:like|follow|bell)|"
    r"turn on (?:the )?notifications|(?:full )?links? (?:[^.]{0,40} )?in (?:the |my )?(?:first )?(?:comments?|bio|profile)|"
    r"(?:see|check) (?:the )?first comment)",
    re.I)
# A sign-off at the end of a line ("… — Follow me for more").
SIGNOFF_TAIL = re.compile(
    r"(?:[-—–]{1,3}\s*(?:follow|subscribe)\b|(?:you can )?(?:learn more|read more)[^.]{0,40}\bmy newsletter\b|"
    r"\bfollow me (?:for|on)\b|\bsubscribe to my\b).*$", re.I)


def opening(words, phrases=()) -> re.Pattern:
    """The pattern "the text starts with one of `words` (or `phrases`) as whole words",
    case-insensitive."""
    choices = sorted({*words, *phrases}, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w).replace(r"\ ", " ") for w in choices) + r")\b", re.I)


def first_word(text: str) -> str:
    """The first word of `text`, lower case, with a typographic apostrophe made plain."""
    m = _WORD.search(text.lower().replace("’", "'"))
    return m.group(0) if m else ""


_WORD = re.compile(r"[\w'-]+")
