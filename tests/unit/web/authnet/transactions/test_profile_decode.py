"""The legacy profileTrans* elements: one decode pass yields the call and what the answer repeats."""

from __future__ import annotations

from decimal import Decimal

from strongroom.web.authnet.transactions import profile_decode as decode
from strongroom.web.authnet.transactions.decode import ChargeCall, VoidCall
from strongroom.web.authnet.transactions.profile_messages import PROFILE_TRANSACTION
from strongroom.web.authnet.transactions.refusals import TransactionRefused
from strongroom.web.authnet.wire.schema import NS
from strongroom.web.authnet.wire.tree import Node
from strongroom.web.authnet.wire.validation import validate
from strongroom.web.authnet.wire.xml_codec import parse_xml


def element(name: str, inner: str) -> Node:
    """One profileTrans* element, validated as the dispatcher validates its request."""
    body = f'<transaction xmlns="{NS}"><{name}>{inner}</{name}></transaction>'
    node = validate(parse_xml(body.encode()), PROFILE_TRANSACTION).node(name)
    assert node is not None
    return node


IDS = "<customerProfileId>10</customerProfileId><customerPaymentProfileId>20</customerPaymentProfileId>"


def test_one_pass_yields_the_call_and_its_echo() -> None:
    node = element("profileTransVoid", "<transId>60163892435</transId>")

    found = decode.decoded(decode.VOID, node)

    assert found.echo == decode.echo(decode.VOID, node)
    assert found.echo.ref_trans_id == "60163892435"
    assert found.call == decode.call(decode.VOID, node)
    assert isinstance(found.call, decode.ProfileCall)
    assert found.call.call == VoidCall("60163892435")


def test_a_charge_repeats_its_amount_and_no_referenced_transaction() -> None:
    node = element("profileTransAuthCapture", f"<amount>7.25</amount>{IDS}")

    found = decode.decoded(decode.AUTH_CAPTURE, node)

    assert (found.echo.amount, found.echo.ref_trans_id) == (Decimal("7.25"), "")
    assert isinstance(found.call, decode.ProfileCall)
    assert isinstance(found.call.call, ChargeCall)


def test_one_pass_keeps_the_echo_of_a_refused_call() -> None:
    node = element("profileTransCaptureOnly", f"<amount>7.25</amount>{IDS}<approvalCode>  </approvalCode>")

    found = decode.decoded(decode.CAPTURE_ONLY, node)

    assert isinstance(found.call, TransactionRefused)
    assert found.call.reason_code == 12
    assert found.echo.amount == Decimal("7.25")
