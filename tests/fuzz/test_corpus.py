"""The campaign's fixed corpus (issue 8's long numbers and control characters) on each engine:
checked exactly like the drawn requests."""

from __future__ import annotations

import pytest

from tests.fuzz.campaign import Campaign
from tests.fuzz.corpus import CORPUS, EXAMPLES, example


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_the_corpus_gets_clean_answers(campaign: Campaign, case: str) -> None:
    request = CORPUS[case](campaign)

    assert campaign.send(request) == [], request.describe()


@pytest.mark.parametrize("operation", sorted(EXAMPLES))
def test_the_hand_written_examples_are_accepted(campaign: Campaign, operation: str) -> None:
    """Long numbers put into them reach the handlers only if the rest passes the validator
    (a repeat may be a duplicate: the handlers' own answer, which is fine)."""
    for dialect in ("xml", "json"):
        request = example(operation, dialect)(campaign)

        assert campaign.send(request) == [], request.describe()
        assert campaign.last_codes, request.describe()
        assert "E00003" not in campaign.last_codes, request.describe()
