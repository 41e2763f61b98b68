"""Prints the importer's score on the real documents of fixtures/corpus/ (see tests/corpus.py).

python scripts/score_corpus.py       # per document and format: measures, found, right
python scripts/score_corpus.py -v    # and every wrong measure, with what is wrong
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(argv: list[str]) -> int:
    import django

    django.setup()  # the importer's messages use Django's translation
    from tests.corpus import report, score_all

    print(report(score_all(), verbose="-v" in argv or "--verbose" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
