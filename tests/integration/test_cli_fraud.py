"""`strongroom fraud list|add|remove|enable|disable` as real subprocesses on both engines
(helpers and fixtures from test_cli): filters added from the command line screen charges,
and every bad input is refused with a clear message."""

from __future__ import annotations

from dataclasses import replace

from strongroom.bootstrap import build
from strongroom.domain.fraud import FilterKind, FraudAction
from strongroom.domain.transactions import TransactionStatus
from tests.integration import test_cli
from tests.integration.payments.conftest import charge
from tests.integration.test_cli import Place, create_merchant, refused, strongroom, succeeded, upgraded

# test_cli's fixtures, for these tests too (the proxy one is autouse).
place = test_cli.place
_no_proxies = test_cli._no_proxies

LOGIN = "fraud-1"
S = TransactionStatus


def fraud(place: Place, command: str, *args: str) -> list[str]:
    return ["fraud", command, "--login-id", LOGIN, *args]


def charged(place: Place, amount: str, ip: str = "203.0.113.7") -> TransactionStatus:
    """Charge the merchant in-process; the status the charge got."""
    application = build(place.settings)
    try:
        merchant = application.services.merchants.by_login(LOGIN)
        assert merchant is not None
        request = charge(amount)
        request = replace(request, order=replace(request.order, customer_ip=ip))
        record = application.services.payments.charge(merchant, request).record
        assert record is not None
        return record.status
    finally:
        application.close()


def test_filters_added_from_the_command_line_screen_charges(place: Place) -> None:
    upgraded(place)
    create_merchant(place, "--name", "Fraud shop", "--login-id", LOGIN)

    assert "has no fraud filters" in succeeded(strongroom(place, *fraud(place, "list")))
    added = succeeded(
        strongroom(
            place,
            *fraud(place, "add", "--filter", "amount-over", "--threshold", "500.00", "--action", "hold"),
        )
    )
    succeeded(
        strongroom(
            place,
            *fraud(
                place,
                "add",
                "--filter",
                "ip-velocity",
                "--max",
                "5",
                "--window",
                "3600",
                "--action",
                "decline",
            ),
        )
    )
    succeeded(
        strongroom(
            place,
            *fraud(
                place,
                "add",
                "--filter",
                "ip-blocklist",
                "--name",
                "Blocked",
                "--ip",
                "10.0.0.0/8",
                "--ip",
                "192.0.2.9",
            ),
        )
    )
    succeeded(
        strongroom(
            place,
            *fraud(
                place,
                "add",
                "--filter",
                "amount-under",
                "--threshold",
                "1",
                "--currency",
                "eur",
                "--action",
                "report",
            ),
        )
    )
    listed = succeeded(strongroom(place, *fraud(place, "list")))

    assert added == ("Fraud filter 'Maximum Amount Filter' added for fraud-1: amount > 500.00 USD -> hold.\n")
    assert listed.splitlines() == [
        "Maximum Amount Filter\tamount-over\tamount > 500.00 USD\thold\tenabled",
        "IP Velocity Filter\tip-velocity\tmore than 5 from one customer IP within 3600 s\tdecline\tenabled",
        "Blocked\tip-blocklist\tcustomer IP in 10.0.0.0/8, 192.0.2.9/32\tdecline\tenabled",
        "Minimum Amount Filter\tamount-under\tamount < 1.00 EUR\treport\tenabled",
    ]
    assert charged(place, "600.00") is S.HELD_FOR_REVIEW
    assert charged(place, "20.00", "10.1.2.3") is S.DECLINED
    assert charged(place, "20.00") is S.CAPTURED_PENDING_SETTLEMENT

    assert "disabled for fraud-1" in succeeded(
        strongroom(place, *fraud(place, "disable", "--name", "Maximum Amount Filter"))
    )
    assert charged(place, "601.00") is S.CAPTURED_PENDING_SETTLEMENT
    assert "\tdisabled" in succeeded(strongroom(place, *fraud(place, "list"))).splitlines()[0]
    succeeded(strongroom(place, *fraud(place, "enable", "--name", "Maximum Amount Filter")))
    assert charged(place, "602.00") is S.HELD_FOR_REVIEW

    removed = succeeded(strongroom(place, *fraud(place, "remove", "--name", "Maximum Amount Filter")))
    assert removed == "Fraud filter 'Maximum Amount Filter' removed for fraud-1.\n"
    assert charged(place, "603.00") is S.CAPTURED_PENDING_SETTLEMENT


BAD_INPUT = [
    (["add", "--filter", "amount-over", "--action", "hold"], "needs a threshold"),
    (
        ["add", "--filter", "amount-over", "--threshold", "5.001", "--action", "hold"],
        "more than two decimal places",
    ),
    (
        ["add", "--filter", "amount-over", "--threshold", "lots", "--action", "hold"],
        "threshold is not a valid amount",
    ),
    (
        ["add", "--filter", "amount-over", "--threshold", "5", "--currency", "dollars", "--action", "hold"],
        "'DOLLARS' is not a three-letter currency code",
    ),
    (
        ["add", "--filter", "ip-velocity", "--max", "5", "--action", "decline"],
        "A velocity window is from 1 second to 31 days",
    ),
    (
        ["add", "--filter", "card-velocity", "--max", "0", "--window", "60", "--action", "hold"],
        "allows from 1 to",
    ),
    (
        [
            "add",
            "--filter",
            "ip-velocity",
            "--max",
            "5",
            "--window",
            "60",
            "--threshold",
            "9",
            "--action",
            "hold",
        ],
        "Only amount filters have a threshold",
    ),
    (["add", "--filter", "ip-blocklist", "--ip", "10.0.0.300"], "is not an IP address"),
    (
        ["add", "--filter", "ip-blocklist", "--ip", "10.0.0.1", "--action", "hold"],
        "A blocked IP is always declined",
    ),
    (["add", "--filter", "ip-blocklist"], "needs at least one address"),
    (
        [
            "add",
            "--filter",
            "amount-over",
            "--threshold",
            "5",
            "--action",
            "hold",
            "--name",
            "Maximum Amount Filter",
        ],
        "already has a filter named 'Maximum Amount Filter'",
    ),
    (["remove", "--name", "Nope"], "no fraud filter named 'Nope'"),
    (["enable", "--name", "Nope"], "no fraud filter named 'Nope'"),
]


def test_bad_filters_are_refused_clearly(place: Place) -> None:
    upgraded(place)
    create_merchant(place, "--name", "Fraud shop", "--login-id", LOGIN)
    succeeded(
        strongroom(
            place,
            *fraud(place, "add", "--filter", "amount-over", "--threshold", "500.00", "--action", "hold"),
        )
    )

    for args, message in BAD_INPUT:
        error = refused(strongroom(place, "fraud", args[0], "--login-id", LOGIN, *args[1:]))
        assert message in error, (args, error)
    assert len(succeeded(strongroom(place, *fraud(place, "list"))).splitlines()) == 1


def test_unknown_merchants_kinds_and_actions_are_refused(place: Place) -> None:
    upgraded(place)

    assert "No merchant has API login ID 'nobody'" in refused(
        strongroom(place, "fraud", "list", "--login-id", "nobody")
    )
    bad_kind = strongroom(place, "fraud", "add", "--login-id", "nobody", "--filter", "country")
    bad_action = strongroom(
        place, "fraud", "add", "--login-id", "nobody", "--filter", "amount-over", "--action", "review"
    )
    no_action = strongroom(
        place, "fraud", "add", "--login-id", "nobody", "--filter", "amount-over", "--threshold", "500.00"
    )

    for completed, known in ((bad_kind, FilterKind), (bad_action, FraudAction), (no_action, FraudAction)):
        assert completed.returncode == 2
        assert "Traceback" not in completed.stderr
        assert all(item.value in completed.stderr for item in known), completed.stderr
    assert "--action is required" in no_action.stderr
