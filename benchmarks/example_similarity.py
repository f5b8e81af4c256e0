"""How close the contextual encoder puts a paraphrase to an example sentence the DSL added, and
how far it puts ordinary school posts: the evidence for ``EXAMPLE_THRESHOLD``.

    .venv/bin/python benchmarks/example_similarity.py [--models DIR]

The pairs below were written for this check (an example a lead might add: local slang, a code
word, a phrase a known groomer used; two paraphrases of it, a close one and a loose one; and
ordinary posts). It prints the range of cosines of each kind, and how many of each are at or
above the threshold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from socialguard.screening.semantic import (
    CONTEXT_DIMS,
    EXAMPLE_THRESHOLD,
    MODELS,
    SemanticModel,
    semantic_text,
)

# (example, close paraphrase, loose paraphrase)
PAIRS = [
    (
        "he said he would share our chats if i stop replying",
        "he says hell send everyone our messages if i dont answer him",
        "if i go quiet he will show people what i wrote to him",
    ),
    (
        "going to see uncle t down the cut after school",
        "meeting uncle t by the canal once school finishes",
        "off to the cut to see t later",
    ),
    (
        "he buys me vapes if i go to his flat",
        "i get free vapes when i visit his flat",
        "he gives me stuff when i go round his place",
    ),
    (
        "she told me to wear the red lipstick on camera for her",
        "she wants me to put red lipstick on for the webcam",
        "she asked me to dress up for our video call",
    ),
    (
        "my step dad makes me sleep in the shed when im bad",
        "when im naughty my stepdad locks me in the shed overnight",
        "i have to stay outside in the garden shed at night sometimes",
    ),
    (
        "i want to go to the bridge and never come back",
        "im going to the bridge and im not coming home",
        "thinking about the bridge again tonight",
    ),
    (
        "they call me smelly sock every day in the changing rooms",
        "everyone says i am smelly sock when we get changed for pe",
        "the boys keep calling me names before pe",
    ),
    (
        "join the discord for the real truth about the great replacement",
        "come to our discord server and learn the truth about replacement",
        "there is a chat where they explain whats really happening to our people",
    ),
]
ORDINARY = [
    "Year 4 visited the science museum today and loved the planetarium",
    "please remember pe kits on thursday",
    "our class assembly is on friday at 9am, all parents welcome",
    "the football team won 3-1 against st marys",
    "we made volcanoes out of bicarbonate of soda",
    "reading books need to come back to school every monday",
    "the school nurse will be checking heights in year 6",
    "well done to everyone who took part in sports day",
    "we are learning about the romans and built shields",
    "my favourite book is the lion the witch and the wardrobe",
    "can we have pizza at the school disco",
    "the trip to the farm has been moved to next week",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=MODELS)
    args = parser.parse_args()
    model = SemanticModel(args.models)

    def vectors(texts: list[str]) -> np.ndarray:
        return model.context_vectors([semantic_text(t.lower()) for t in texts])[:, :CONTEXT_DIMS]

    examples = vectors([p[0] for p in PAIRS])
    close = (vectors([p[1] for p in PAIRS]) * examples).sum(axis=1)
    loose = (vectors([p[2] for p in PAIRS]) * examples).sum(axis=1)
    ordinary = (vectors(ORDINARY) @ examples.T).ravel()
    print(f"models: {args.models}; threshold {EXAMPLE_THRESHOLD}")
    for name, values in (("close", close), ("loose", loose), ("ordinary", ordinary)):
        above = int((values >= EXAMPLE_THRESHOLD).sum())
        print(
            f"  {name:9} cosine {values.min():.2f} to {values.max():.2f} "
            f"(median {np.median(values):.2f}); at or above the threshold {above}/{len(values)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
