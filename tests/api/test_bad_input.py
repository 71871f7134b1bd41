"""Bad input in XML and JSON against the live server: every refusal is HTTP 200 with the API's
error shape and code, sensitive values are never echoed, and nothing is stored."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api.live_server import LiveServer
from tests.api.raw import (
    DIALECTS,
    NS,
    XSD_NS,
    Answer,
    Pairs,
    auth,
    call,
    content_type,
    envelope,
    post,
    stored,
    to_json,
    to_xml,
)
from tests.api.sdk import ApiMerchant

VISA = "4111111111111111"
CARD = [("creditCard", [("cardNumber", VISA), ("expirationDate", "2035-12")])]


@dataclass
class Vault:
    """A merchant with one profile (one payment profile, one address) and its stored state."""

    server: LiveServer
    merchant: ApiMerchant
    profile_id: str
    payment_profile_id: str
    before: dict[str, tuple[object, ...]]

    def assert_unchanged(self) -> None:
        assert stored(self.server, self.merchant) == self.before


@pytest.fixture
def vault(server: LiveServer, merchant: ApiMerchant) -> Vault:
    answer = call(
        server,
        "xml",
        "createCustomerProfileRequest",
        envelope(
            merchant,
            (
                "profile",
                [
                    ("merchantCustomerId", "seed"),
                    ("paymentProfiles", [("payment", CARD)]),
                    ("shipToList", [("firstName", "China"), ("zip", "44628")]),
                ],
            ),
        ),
    )
    root = answer.ok().xml()
    profile_id = root.findtext(f"{{{NS}}}customerProfileId")
    payment_id = root.findtext(f"{{{NS}}}customerPaymentProfileIdList/{{{NS}}}numericString")
    assert profile_id
    assert payment_id
    return Vault(server, merchant, profile_id, payment_id, stored(server, merchant))


def refused(answer: Answer, code: str) -> str:
    """The text of a messages-only refusal (ErrorResponse / bare messages) with `code`."""
    assert answer.root_name == "ErrorResponse"
    found, text = answer.error()
    assert found == code, text
    return text


# ----------------------------------------------------------------------------- validation table


def _profile(*fields: tuple[str, object]) -> Callable[[Vault], tuple[str, Pairs]]:
    return lambda vault: (
        "createCustomerProfileRequest",
        envelope(vault.merchant, ("profile", [("merchantCustomerId", "new-one"), *fields])),
    )


def _payment_profile(
    *fields: tuple[str, object], payment: Pairs | None = None
) -> Callable[[Vault], tuple[str, Pairs]]:
    return lambda vault: (
        "createCustomerPaymentProfileRequest",
        envelope(
            vault.merchant,
            ("customerProfileId", vault.profile_id),
            ("paymentProfile", [*fields, ("payment", CARD if payment is None else payment)]),
        ),
    )


def _bad_value(element: str, value: str, datatype: str, problem: str) -> str:
    return (
        f"The '{NS}:{element}' element is invalid - The value '{value}' is invalid "
        f"according to its datatype '{datatype}' - {problem}"
    )


@dataclass(frozen=True)
class Case:
    build: Callable[[Vault], tuple[str, Pairs]]
    text: str  # the exact E00003 text; "{secret}" marks a value that must not be echoed
    secret: str | None = None


CASES: dict[str, Case] = {
    "ref-id-before-credentials": Case(
        lambda vault: (
            "createCustomerProfileRequest",
            [("refId", "r1"), *envelope(vault.merchant, ("profile", [("email", "a@b.c")]))],
        ),
        f"The element 'createCustomerProfileRequest' in namespace '{NS}' has invalid child "
        f"element 'refId' in namespace '{NS}'. List of possible elements expected: "
        f"'merchantAuthentication' in namespace '{NS}'.",
    ),
    "order-after-optional-run": Case(
        _profile(("email", "a@b.c"), ("description", "late")),
        f"The element 'profile' in namespace '{NS}' has invalid child element 'description' in "
        f"namespace '{NS}'. List of possible elements expected: "
        f"'paymentProfiles, shipToList, profileType' in namespace '{NS}'.",
    ),
    "order-with-nothing-left-to-expect": Case(
        lambda vault: (
            "createCustomerShippingAddressRequest",
            envelope(
                vault.merchant,
                ("customerProfileId", vault.profile_id),
                ("address", [("firstName", "Mike")]),
                ("defaultShippingAddress", True),
                ("refId", "late"),
            ),
        ),
        f"The element 'createCustomerShippingAddressRequest' in namespace '{NS}' has invalid "
        f"child element 'refId' in namespace '{NS}'.",
    ),
    "order-inside-bank-account": Case(
        _payment_profile(
            payment=[
                (
                    "bankAccount",
                    [
                        ("accountNumber", "123456789"),
                        ("routingNumber", "121042882"),
                        ("nameOnAccount", "John Doe"),
                    ],
                )
            ]
        ),
        f"The element 'bankAccount' in namespace '{NS}' has invalid child element "
        f"'accountNumber' in namespace '{NS}'. List of possible elements expected: "
        f"'accountType, routingNumber' in namespace '{NS}'.",
        secret="123456789",
    ),
    "unknown-element": Case(
        _profile(("nickname", "x")),
        f"The element 'profile' in namespace '{NS}' has invalid child element 'nickname' in "
        f"namespace '{NS}'. List of possible elements expected: 'description, email, "
        f"paymentProfiles, shipToList, profileType' in namespace '{NS}'.",
    ),
    "second-credential": Case(
        lambda vault: (
            "createCustomerProfileRequest",
            [
                ("merchantAuthentication", [*auth(vault.merchant), ("password", "pw-secret-9")]),
                ("profile", [("email", "a@b.c")]),
            ],
        ),
        f"The element 'merchantAuthentication' in namespace '{NS}' has invalid child element "
        f"'password' in namespace '{NS}'. List of possible elements expected: "
        f"'mobileDeviceId' in namespace '{NS}'.",
    ),
    "missing-required-child": Case(
        lambda vault: (
            "createCustomerPaymentProfileRequest",
            envelope(vault.merchant, ("customerProfileId", vault.profile_id)),
        ),
        f"The element 'createCustomerPaymentProfileRequest' in namespace '{NS}' has incomplete "
        f"content. List of possible elements expected: 'paymentProfile' in namespace '{NS}'.",
    ),
    "missing-nested-required-child": Case(
        _payment_profile(payment=[("creditCard", [("cardNumber", VISA)])]),
        f"The element 'creditCard' in namespace '{NS}' has incomplete content. List of possible "
        f"elements expected: 'expirationDate' in namespace '{NS}'.",
        secret=VISA,
    ),
    "missing-payment-choice": Case(
        _payment_profile(payment=[("dataSource", "x")]),
        f"The element 'payment' in namespace '{NS}' has invalid child element 'dataSource' in "
        f"namespace '{NS}'. List of possible elements expected: 'creditCard, bankAccount, "
        f"trackData, encryptedTrackData, payPal, opaqueData, emv' in namespace '{NS}'.",
    ),
    "bad-numeric-string": Case(
        lambda vault: (
            "createCustomerPaymentProfileRequest",
            envelope(vault.merchant, ("customerProfileId", "12a4"), ("paymentProfile", [("payment", CARD)])),
        ),
        _bad_value("customerProfileId", "12a4", f"{NS}:numericString", "The Pattern constraint failed."),
    ),
    "bad-enumeration": Case(
        lambda vault: (
            "createCustomerProfileRequest",
            envelope(vault.merchant, ("profile", [("email", "a@b.c")]), ("validationMode", "sometimes")),
        ),
        _bad_value(
            "validationMode", "sometimes", f"{NS}:validationModeEnum", "The Enumeration constraint failed."
        ),
    ),
    "bad-customer-type": Case(
        _payment_profile(("customerType", "person")),
        _bad_value("customerType", "person", f"{NS}:customerTypeEnum", "The Enumeration constraint failed."),
    ),
    "bad-boolean": Case(
        _payment_profile(("defaultPaymentProfile", "yes")),
        _bad_value(
            "defaultPaymentProfile",
            "yes",
            f"{XSD_NS}:boolean",
            "The string 'yes' is not a valid Boolean value.",
        ),
    ),
    "too-long": Case(
        _profile(("description", "d" * 256)),
        _bad_value(
            "description", "d" * 256, "String", "The actual length is greater than the MaxLength value."
        ),
    ),
    "wrong-fixed-length": Case(
        _payment_profile(
            ("billTo", [("firstName", "A")]),
            ("driversLicense", [("number", "D1234567"), ("state", "Texas"), ("dateOfBirth", "1970-01-01")]),
        ),
        _bad_value("state", "Texas", "String", "The actual length is not equal to the specified length."),
    ),
    "text-in-int-paging-field": Case(
        lambda vault: (
            "getCustomerPaymentProfileListRequest",
            envelope(
                vault.merchant,
                ("searchType", "cardsExpiringInMonth"),
                ("month", "2035-12"),
                ("paging", [("limit", "ten"), ("offset", "1")]),
            ),
        ),
        _bad_value("limit", "ten", f"{XSD_NS}:int", "The string 'ten' is not a valid Int32 value."),
    ),
    "int-out-of-range": Case(
        lambda vault: (
            "getCustomerPaymentProfileListRequest",
            envelope(
                vault.merchant,
                ("searchType", "cardsExpiringInMonth"),
                ("month", "2035-12"),
                ("paging", [("limit", "0"), ("offset", "1")]),
            ),
        ),
        _bad_value("limit", "0", f"{XSD_NS}:int", "The MinInclusive constraint failed."),
    ),
    "int-beyond-int32": Case(
        lambda vault: (
            "getCustomerPaymentProfileListRequest",
            envelope(
                vault.merchant,
                ("searchType", "cardsExpiringInMonth"),
                ("month", "2035-12"),
                ("paging", [("limit", "10"), ("offset", "2147483648")]),
            ),
        ),
        _bad_value(
            "offset", "2147483648", f"{XSD_NS}:int", "The string '2147483648' is not a valid Int32 value."
        ),
    ),
    "bad-decimal": Case(
        _payment_profile(("subsequentAuthInformation", [("originalAuthAmount", "12,50")])),
        _bad_value(
            "originalAuthAmount",
            "12,50",
            f"{XSD_NS}:decimal",
            "The string '12,50' is not a valid Decimal value.",
        ),
    ),
    "text-only-element-with-child": Case(
        _profile(("description", [("b", "bold")])),
        f"The element '{NS}:description' cannot contain child element '{NS}:b' because the "
        "parent element's content model is text only.",
    ),
    # Sensitive values: the element and the problem are named, the value is not.
    "card-number-too-long": Case(
        _payment_profile(
            payment=[("creditCard", [("cardNumber", "41111111111111111111"), ("expirationDate", "2035-12")])]
        ),
        _bad_value("cardNumber", "****", "String", "The actual length is greater than the MaxLength value."),
        secret="41111111111111111111",
    ),
    "card-code-pattern": Case(
        _payment_profile(
            payment=[
                ("creditCard", [("cardNumber", VISA), ("expirationDate", "2035-12"), ("cardCode", "98a7")])
            ]
        ),
        _bad_value("cardCode", "****", f"{NS}:cardCode", "The Pattern constraint failed."),
        secret="98a7",
    ),
    "transaction-key-too-long": Case(
        lambda vault: (
            "createCustomerProfileRequest",
            [
                ("merchantAuthentication", auth(vault.merchant, key="SecretKey1234567890")),
                ("profile", [("email", "a@b.c")]),
            ],
        ),
        _bad_value(
            "transactionKey", "****", "String", "The actual length is greater than the MaxLength value."
        ),
        secret="SecretKey1234567890",
    ),
    "account-number-too-long": Case(
        _payment_profile(
            payment=[
                (
                    "bankAccount",
                    [
                        ("routingNumber", "121042882"),
                        ("accountNumber", "987654321098765432"),
                        ("nameOnAccount", "John Doe"),
                    ],
                )
            ]
        ),
        _bad_value(
            "accountNumber", "****", "String", "The actual length is greater than the MaxLength value."
        ),
        secret="987654321098765432",
    ),
    "routing-number-too-long": Case(
        _payment_profile(
            payment=[
                (
                    "bankAccount",
                    [
                        ("routingNumber", "1210428829876"),
                        ("accountNumber", "987654321"),
                        ("nameOnAccount", "John Doe"),
                    ],
                )
            ]
        ),
        _bad_value(
            "routingNumber", "****", "String", "The actual length is greater than the MaxLength value."
        ),
        secret="1210428829876",
    ),
}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_schema_violation_is_e00003_with_the_validator_text(vault: Vault, dialect: str, case: Case) -> None:
    root, pairs = case.build(vault)
    answer = call(vault.server, dialect, root, pairs)
    assert refused(answer, "E00003") == case.text
    if case.secret is not None:
        assert case.secret.encode() not in answer.body
    vault.assert_unchanged()


# ----------------------------------------------------------------------------- envelope failures


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("who", ["wrong-key", "unknown-login", "no-key"])
def test_bad_credentials_are_e00007_and_store_nothing(vault: Vault, dialect: str, who: str) -> None:
    credentials = {
        "wrong-key": auth(vault.merchant, key="WrongKey98765432"),
        "unknown-login": auth(vault.merchant, login="nobody-at-all"),
        "no-key": [("name", vault.merchant.login_id)],
    }[who]
    answer = call(
        vault.server,
        dialect,
        "createCustomerProfileRequest",
        [
            ("merchantAuthentication", credentials),
            ("profile", [("merchantCustomerId", "new-one"), ("paymentProfiles", [("payment", CARD)])]),
        ],
    )
    assert answer.root_name != "ErrorResponse"  # the operation's own response
    assert answer.error() == ("E00007", "User authentication failed due to invalid authentication values.")
    assert b"WrongKey98765432" not in answer.body
    vault.assert_unchanged()


@pytest.mark.parametrize("dialect", DIALECTS)
def test_unknown_request_is_e00004(vault: Vault, dialect: str) -> None:
    answer = call(
        vault.server,
        dialect,
        "createCustomerProfileRequestX",
        envelope(vault.merchant, ("profile", [("email", "a@b.c")])),
    )
    assert refused(answer, "E00004") == "The name of the requested API method is invalid."
    vault.assert_unchanged()


@pytest.mark.parametrize("namespace", ["urn:not-anet", "AnetApi/xml/v1/schema/AnetApiSchema"])
def test_root_in_another_namespace_is_e00045(vault: Vault, namespace: str) -> None:
    body = to_xml(
        "createCustomerProfileRequest",
        envelope(vault.merchant, ("profile", [("email", "a@b.c")])),
        namespace=namespace,
    )
    answer = post(vault.server, body, "application/xml")
    assert refused(answer, "E00045") == "The root node does not reference a valid XML namespace."
    vault.assert_unchanged()


def test_root_without_namespace_is_e00045(vault: Vault) -> None:
    body = to_xml(
        "createCustomerProfileRequest", envelope(vault.merchant, ("profile", [("email", "a@b.c")]))
    ).replace(f' xmlns="{NS}"'.encode(), b"")
    answer = post(vault.server, body, "text/xml")
    assert refused(answer, "E00045") == "The root node does not reference a valid XML namespace."
    vault.assert_unchanged()


def test_children_outside_the_namespace_are_named_without_one(vault: Vault) -> None:
    body = (
        f'<a:createCustomerProfileRequest xmlns:a="{NS}">'
        f"<merchantAuthentication><name>{vault.merchant.login_id}</name>"
        f"<transactionKey>{vault.merchant.transaction_key}</transactionKey>"
        "</merchantAuthentication><profile><email>a@b.c</email></profile>"
        "</a:createCustomerProfileRequest>"
    ).encode()
    answer = post(vault.server, body, "application/xml")
    assert refused(answer, "E00003") == (
        f"The element 'createCustomerProfileRequest' in namespace '{NS}' has invalid child "
        "element 'merchantAuthentication'. List of possible elements expected: "
        f"'merchantAuthentication' in namespace '{NS}'."
    )
    vault.assert_unchanged()


def test_text_between_elements_is_refused(vault: Vault) -> None:
    body = to_xml(
        "createCustomerProfileRequest", envelope(vault.merchant, ("profile", [("email", "a@b.c")]))
    ).replace(b"<profile>", b"stray<profile>")
    answer = post(vault.server, body, "application/xml")
    assert refused(answer, "E00003") == (
        f"The element 'createCustomerProfileRequest' in namespace '{NS}' cannot contain text. "
        f"List of possible elements expected: 'validationMode' in namespace '{NS}'."
    )
    vault.assert_unchanged()


# ----------------------------------------------------------------------------- malformed bodies


MALFORMED = {
    "xml": {
        "truncated": b'<createCustomerProfileRequest xmlns="' + NS.encode() + b'"><profile>',
        "mismatched": b'<createCustomerProfileRequest xmlns="'
        + NS.encode()
        + b'"><profile></merchantAuthentication></createCustomerProfileRequest>',
        "not-xml": b"createCustomerProfileRequest=1",
        "empty": b"",
        "bad-utf8": b'<createCustomerProfileRequest xmlns="'
        + NS.encode()
        + b'"><refId>\xe9\xff</refId></createCustomerProfileRequest>',
        "too-deep": b"<a>" * 300 + b"</a>" * 300,
    },
    "json": {
        "truncated": b'{"createCustomerProfileRequest": {"profile": {',
        "trailing-comma": b'{"createCustomerProfileRequest": {"profile": {},}}',
        "not-json": b"{createCustomerProfileRequest}",
        "empty": b"",
        "bad-utf8": b'{"createCustomerProfileRequest": {"refId": "\xe9\xff"}}',
        "too-deep": b'{"createCustomerProfileRequest": ' + b'{"a":' * 900 + b"1" + b"}" * 901,
        "control-character": b'{"createCustomerProfileRequest": {"refId": "a\\u0001b"}}',
        "nested-arrays": b'{"createCustomerProfileRequest": {"refId": [["a"]]}}',
    },
}


@pytest.mark.parametrize(
    ("dialect", "kind"), [(dialect, kind) for dialect, bodies in MALFORMED.items() for kind in bodies]
)
def test_malformed_body_is_e00003(vault: Vault, dialect: str, kind: str) -> None:
    answer = post(vault.server, MALFORMED[dialect][kind], content_type(dialect))
    assert answer.is_json == (dialect == "json")
    refused(answer, "E00003")
    vault.assert_unchanged()


def test_parser_messages_do_not_quote_the_document(vault: Vault) -> None:
    # libxml2 quotes the start of an unfinished CDATA section or comment in its message.
    for body in (
        f'<createCustomerProfileRequest xmlns="{NS}"><refId><![CDATA[{VISA}',
        f'<createCustomerProfileRequest xmlns="{NS}"><refId><!--{VISA}',
        f"<cardNumber>{VISA}</cardNumber><cardNumber>{VISA}</cardNumber>",
    ):
        answer = post(vault.server, body.encode(), "application/xml")
        text = refused(answer, "E00003")
        assert text.startswith("The request is not well-formed XML: ")
        assert VISA.encode() not in answer.body
        assert VISA[:6].encode() not in answer.body
    vault.assert_unchanged()


def test_json_with_an_unknown_root_and_bad_content_is_still_an_api_answer(vault: Vault) -> None:
    answer = post(vault.server, to_json("noSuchRequest", [("a", [("b", 1)])]), "application/json")
    refused(answer, "E00004")


# ----------------------------------------------------------------------------- DTDs and entities


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(2, 10)).replace("&lol1;", "&lol;")
    + "]>"
)
PADDING = "<!--" + "p" * 5000 + "-->\n"


def _create_with_description(vault: Vault, prolog: str, description: str) -> bytes:
    return (
        prolog
        + to_xml(
            "createCustomerProfileRequest",
            envelope(
                vault.merchant,
                ("profile", [("merchantCustomerId", "new-one"), ("description", "DESCRIPTION")]),
            ),
        )
        .decode()
        .replace("DESCRIPTION", description)
    ).encode()


@pytest.mark.parametrize("padded", [False, True], ids=["at-start", "after-4k-of-comment"])
def test_entity_expansion_is_refused(vault: Vault, padded: bool) -> None:
    body = _create_with_description(vault, (PADDING if padded else "") + LAUGHS, "&lol9;")
    answer = post(vault.server, body, "application/xml")
    assert refused(answer, "E00003") == "DTDs and entity declarations are not allowed."
    assert b"lollol" not in answer.body
    vault.assert_unchanged()


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "canary.txt"
    path.write_text("CANARY-7f3a9c-must-never-be-read")
    return path


@pytest.mark.parametrize("padded", [False, True], ids=["at-start", "after-4k-of-comment"])
@pytest.mark.parametrize("form", ["general", "parameter", "external-subset"])
def test_external_entities_are_not_read(vault: Vault, canary: Path, padded: bool, form: str) -> None:
    uri = canary.as_uri()
    prolog, description = {
        "general": (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{uri}">]>', "&xxe;"),
        "parameter": (f'<!DOCTYPE r [<!ENTITY % xxe SYSTEM "{uri}"> %xxe;]>', "x"),
        "external-subset": (f'<!DOCTYPE createCustomerProfileRequest SYSTEM "{uri}">', "x"),
    }[form]
    body = _create_with_description(vault, (PADDING if padded else "") + prolog, description)
    answer = post(vault.server, body, "application/xml")
    refused(answer, "E00003")
    assert b"CANARY" not in answer.body
    vault.assert_unchanged()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A listening socket nobody should connect to; a connection would sit in its backlog."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    try:
        yield sock
    finally:
        sock.close()


@pytest.mark.parametrize("padded", [False, True], ids=["at-start", "after-4k-of-comment"])
def test_network_entities_are_not_fetched(vault: Vault, listener: socket.socket, padded: bool) -> None:
    port = listener.getsockname()[1]
    prolog = (
        f'<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/dtd" '
        f'[<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/x">]>'
    )
    body = _create_with_description(vault, (PADDING if padded else "") + prolog, "&xxe;")
    refused(post(vault.server, body, "application/xml"), "E00003")
    with pytest.raises(BlockingIOError):
        listener.accept()
    vault.assert_unchanged()


# ----------------------------------------------------------------------------- body size


def _sized(vault: Vault, dialect: str, size: int) -> bytes:
    """A valid createCustomerProfileRequest padded (comment / blanks) to exactly `size` bytes."""
    pairs = envelope(vault.merchant, ("profile", [("merchantCustomerId", "big-one")]))
    if dialect == "xml":
        body = to_xml("createCustomerProfileRequest", pairs)
        head, tail = body.split(b"<profile>", 1)
        filler = size - len(body) - len(b"<!---->")
        return head + b"<!--" + b"p" * filler + b"-->" + b"<profile>" + tail
    body = to_json("createCustomerProfileRequest", pairs)
    return body[:-1] + b" " * (size - len(body)) + body[-1:]


def _chunks(body: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


@pytest.mark.parametrize("transport", ["content-length", "chunked"])
@pytest.mark.parametrize("dialect", DIALECTS)
def test_body_at_the_limit_is_accepted(vault: Vault, dialect: str, transport: str) -> None:
    limit = vault.server.settings.max_body_bytes
    body = _sized(vault, dialect, limit)
    assert len(body) == limit
    sent = body if transport == "content-length" else _chunks(body)
    post(vault.server, sent, content_type(dialect)).ok()
    assert len(stored(vault.server, vault.merchant)) == 2


@pytest.mark.parametrize("transport", ["content-length", "chunked"])
@pytest.mark.parametrize("declared", [True, False], ids=["typed", "sniffed"])
@pytest.mark.parametrize("over", [1, 200_000])
@pytest.mark.parametrize("dialect", DIALECTS)
def test_body_over_the_limit_is_e00003_naming_the_limit(
    vault: Vault, dialect: str, transport: str, declared: bool, over: int
) -> None:
    limit = vault.server.settings.max_body_bytes
    assert limit == 64 * 1024
    body = _sized(vault, dialect, limit + over)
    sent = body if transport == "content-length" else _chunks(body)
    answer = post(vault.server, sent, content_type(dialect) if declared else "text/plain")
    assert answer.is_json == (dialect == "json")
    assert refused(answer, "E00003") == f"The request body exceeds the limit of {limit} bytes."
    vault.assert_unchanged()
