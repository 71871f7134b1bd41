"""The XML and JSON codecs: hardened parsing into Raw trees (namespaces, prefixes, DTDs,
JSON scalars and shapes), the schema-ordered writers (escaping, empty elements, array
collapsing, number and boolean formatting), and the choice of dialect."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from strongroom.web.authnet.cim.messages import REQUESTS, RESPONSES
from strongroom.web.authnet.common.messages import API_RESPONSE, ARRAY_OF_NUMERIC_STRING
from strongroom.web.authnet.dispatch import is_json
from strongroom.web.authnet.registry import ERROR_RESPONSE
from strongroom.web.authnet.wire.json_codec import MAX_DEPTH, JsonRejected, parse_json, write_json
from strongroom.web.authnet.wire.schema import (
    BOOLEAN,
    DECIMAL,
    INT,
    NS,
    NUMERIC_STRING,
    STRING,
    el,
    many,
    one_of,
    req,
    seq,
)
from strongroom.web.authnet.wire.tree import Raw
from strongroom.web.authnet.wire.validation import SchemaViolation, validate
from strongroom.web.authnet.wire.xml_codec import (
    BOM,
    DECLARATION,
    ROOT_ATTRIBUTES,
    XmlRejected,
    parse_xml,
    write_xml,
)
from tests.shared_spec import schema_errors

BOX = seq("boxType", el("inner", STRING))
THING = seq(
    "thingType",
    el("name", STRING),
    el("count", INT),
    el("flag", BOOLEAN),
    el("amount", DECIMAL),
    el("id", NUMERIC_STRING),
    el("box", BOX),
    req("must", BOX),
    req("ids", ARRAY_OF_NUMERIC_STRING),
    el("moreIds", ARRAY_OF_NUMERIC_STRING),
    many("item", STRING),
    many("boxes", BOX),
    one_of(el("p", STRING), el("q", STRING)),
)


def xml_of(values: dict[str, Any], type_: Any = THING) -> str:
    body = write_xml("thing", type_, values)
    assert body.startswith(BOM)
    return body[len(BOM) :].decode("utf-8")


def inner_xml(values: dict[str, Any]) -> str:
    text = xml_of(values)
    head = f"{DECLARATION}<thing {ROOT_ATTRIBUTES}>"
    assert text.startswith(head)
    assert text.endswith("</thing>")
    return text[len(head) : -len("</thing>")]


def json_text(values: dict[str, Any], type_: Any = THING) -> str:
    body = write_json(type_, values)
    assert body.startswith(BOM)
    return body[len(BOM) :].decode("utf-8")


# ----------------------------------------------------------------------------- XML writer


def test_xml_document_frame() -> None:
    text = xml_of({})
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?><thing ')
    root = etree.fromstring(text.encode())
    assert root.tag == f"{{{NS}}}thing"
    assert root.nsmap == {
        None: NS,
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsd": "http://www.w3.org/2001/XMLSchema",
    }


def test_xml_follows_schema_order_not_dict_order() -> None:
    values = {"id": "7", "name": "n", "count": 3, "must": {"inner": "i"}}
    assert inner_xml(values) == (
        "<name>n</name><count>3</count><id>7</id><must><inner>i</inner></must><ids />"
    )


def test_xml_escapes_markup_and_carriage_returns() -> None:
    original = "a&b<c>d\"e'f]]>\r\ng\r"
    text = inner_xml({"name": original, "must": {}})
    assert text.startswith("<name>a&amp;b&lt;c&gt;d\"e'f]]&gt;&#xD;\ng&#xD;</name>")
    parsed = etree.fromstring(xml_of({"name": original, "must": {}}).encode())
    assert parsed.findtext(f"{{{NS}}}name") == original


def test_xml_writes_empties_self_closing_and_leaves_out_absent_optionals() -> None:
    text = inner_xml({"name": "", "box": {}, "must": None, "flag": None, "item": []})
    assert text == "<name /><box /><must /><ids />"


def test_xml_repeated_elements_and_collapsed_wrappers() -> None:
    text = inner_xml(
        {
            "must": {"inner": "x"},
            "ids": {"numericString": ["1", "2"]},
            "item": ["a", "b"],
            "boxes": [{"inner": "1"}, {}],
        }
    )
    assert text == (
        "<must><inner>x</inner></must>"
        "<ids><numericString>1</numericString><numericString>2</numericString></ids>"
        "<item>a</item><item>b</item><boxes><inner>1</inner></boxes><boxes />"
    )


@pytest.mark.parametrize(
    ("value", "written"), [(True, "true"), (False, "false"), ("true", "true"), ("1", "true"), ("0", "false")]
)
def test_xml_booleans(value: Any, written: str) -> None:
    assert f"<flag>{written}</flag>" in inner_xml({"flag": value, "must": {}})


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("5"), "5.00"),
        (Decimal("12.5"), "12.50"),
        (Decimal("0.01"), "0.01"),
        (Decimal("1E+2"), "100.00"),
        (Decimal("1.005"), "1.005"),
        (Decimal("-3.1"), "-3.10"),
    ],
)
def test_xml_decimals_have_at_least_two_places(value: Decimal, written: str) -> None:
    assert f"<amount>{written}</amount>" in inner_xml({"amount": value, "must": {}})


def test_xml_writes_only_one_option_of_a_choice() -> None:
    assert inner_xml({"must": {}, "q": "2", "p": "1"}).endswith("<p>1</p>")
    assert inner_xml({"must": {}, "p": None, "q": "2"}).endswith("<q>2</q>")


def test_xml_is_utf8() -> None:
    body = write_xml("thing", THING, {"name": "Visé ✓", "must": {}})
    assert "<name>Visé ✓</name>".encode() in body


def test_error_response_is_valid_against_the_official_schema() -> None:
    envelope = {
        "messages": {"resultCode": "Error", "message": [{"code": "E00003", "text": "bad <input> & more\r"}]}
    }
    assert schema_errors(write_xml("ErrorResponse", ERROR_RESPONSE, envelope)) == []
    created = {**envelope, "customerPaymentProfileIdList": None}
    body = write_xml("createCustomerProfileResponse", RESPONSES["createCustomerProfileResponse"], created)
    assert schema_errors(body) == []
    assert b"<customerPaymentProfileIdList />" in body
    assert b"<validationDirectResponseList />" in body


# ----------------------------------------------------------------------------- JSON writer


def test_json_has_bom_and_no_root_key() -> None:
    envelope = {
        "refId": "r",
        "messages": {"resultCode": "Ok", "message": [{"code": "I00001", "text": "Successful."}]},
    }
    text = json_text(envelope, API_RESPONSE)
    assert text == (
        '{"refId":"r","messages":{"resultCode":"Ok","message":[{"code":"I00001","text":"Successful."}]}}'
    )


def test_json_collapses_single_repeated_wrappers_into_bare_arrays() -> None:
    document = json.loads(
        json_text({"must": {}, "ids": {"numericString": ["1", "22"]}, "moreIds": {"numericString": []}})
    )
    assert document["ids"] == ["1", "22"]
    assert document["moreIds"] == []


def test_json_required_absent_wrappers_are_empty_arrays_or_objects() -> None:
    assert json.loads(json_text({})) == {"must": {}, "ids": []}


def test_json_repeated_members_are_arrays_even_with_one_item() -> None:
    document = json.loads(json_text({"must": {}, "item": ["only"], "boxes": [{"inner": "x"}]}))
    assert document["item"] == ["only"]
    assert document["boxes"] == [{"inner": "x"}]


def test_json_collapses_wrappers_of_complex_items() -> None:
    listing = {
        "totalNumInResultSet": 1,
        "paymentProfiles": {
            "paymentProfile": [
                {
                    "customerPaymentProfileId": 10,
                    "customerProfileId": 20,
                    "billTo": {},
                    "payment": {"creditCard": {"cardNumber": "XXXX1111", "expirationDate": "XXXX"}},
                }
            ]
        },
    }
    document = json.loads(json_text(listing, RESPONSES["getCustomerPaymentProfileListResponse"]))
    (item,) = document["paymentProfiles"]
    assert item["customerPaymentProfileId"] == 10
    assert item["billTo"] == {}


def test_json_scalar_types() -> None:
    text = json_text(
        {"name": "12", "count": 3, "flag": False, "amount": Decimal("5"), "id": "0012", "must": {}}
    )
    assert text.startswith('{"name":"12","count":3,"flag":false,"amount":5.00,"id":"0012",')
    assert json.loads(text)["amount"] == 5


@pytest.mark.parametrize(
    ("field", "value", "encoded"),
    [
        ("count", "007", '"007"'),
        ("count", "-12", "-12"),
        ("count", "x", '"x"'),
        ("amount", "abc", '"abc"'),
        ("amount", "1.5", "1.5"),
        ("amount", ".5", '".5"'),
    ],
)
def test_json_writes_bare_numbers_only_when_they_are_valid_json(field: str, value: str, encoded: str) -> None:
    text = json_text({field: value, "must": {}})
    assert f'"{field}":{encoded}' in text
    json.loads(text)


def test_json_strings_are_escaped() -> None:
    original = 'quote " backslash \\ tab \t nl \n uni é \u2028 ctl \x01'
    assert json.loads(json_text({"name": original, "must": {}}))["name"] == original


def test_json_key_order_is_schema_order() -> None:
    document = json.loads(json_text({"id": "1", "name": "n", "must": {}, "p": "x"}))
    assert list(document) == ["name", "id", "must", "ids", "p"]


# ----------------------------------------------------------------------------- XML parsing

CREATE = (
    "<{p}createCustomerProfileRequest {decl}>"
    "<{p}merchantAuthentication><{p}name>login</{p}name>"
    "<{p}transactionKey>key</{p}transactionKey></{p}merchantAuthentication>"
    "<{p}refId>r&amp;1</{p}refId>"
    "<{p}profile><{p}merchantCustomerId>c1</{p}merchantCustomerId>"
    "<{p}paymentProfiles><{p}payment><{p}creditCard>"
    "<{p}cardNumber>4111111111111111</{p}cardNumber>"
    "<{p}expirationDate>2035-12</{p}expirationDate>"
    "</{p}creditCard></{p}payment></{p}paymentProfiles>"
    "<{p}shipToList><{p}zip>44628</{p}zip></{p}shipToList></{p}profile>"
    "</{p}createCustomerProfileRequest>"
)


def create_request(prefix: str = "") -> bytes:
    decl = f'xmlns:{prefix[:-1]}="{NS}"' if prefix else f'xmlns="{NS}"'
    return CREATE.format(p=prefix, decl=decl).encode()


@pytest.mark.parametrize("prefix", ["ns1:", "anet:"])
def test_a_prefixed_request_parses_as_the_default_namespace_one(prefix: str) -> None:
    plain = parse_xml(create_request())
    prefixed = parse_xml(create_request(prefix))
    assert prefixed == plain
    type_ = REQUESTS["createCustomerProfileRequest"]
    assert validate(prefixed, type_) == validate(plain, type_)


def test_parsed_tree_keeps_names_namespaces_and_text() -> None:
    raw = parse_xml(create_request())
    assert raw.name == "createCustomerProfileRequest"
    assert raw.in_namespace
    assert [child.name for child in raw.children] == ["merchantAuthentication", "refId", "profile"]
    assert raw.children[1].text == "r&1"
    node = validate(raw, REQUESTS["createCustomerProfileRequest"])
    profile = node.node("profile")
    assert profile is not None
    (payment_profile,) = profile.nodes("paymentProfiles")
    card = payment_profile.node("payment").node("creditCard")  # type: ignore[union-attr]
    assert card is not None
    assert card.text("cardNumber") == "4111111111111111"


def test_a_default_namespace_redeclared_on_children_is_the_same_document() -> None:
    body = create_request("a:").replace(b"<a:profile>", f'<profile xmlns="{NS}">'.encode())
    body = body.replace(b"</a:profile>", b"</profile>")
    body = body.replace(b"a:merchantCustomerId", b"merchantCustomerId")
    assert parse_xml(body) == parse_xml(create_request())


def test_foreign_and_missing_namespaces_are_recorded() -> None:
    raw = parse_xml(f'<a:r xmlns:a="{NS}"><x/><o:y xmlns:o="urn:o"/></a:r>'.encode())
    assert [(child.name, child.namespace, child.in_namespace) for child in raw.children] == [
        ("x", "", False),
        ("y", "urn:o", False),
    ]
    assert not parse_xml(b'<r xmlns="urn:other"/>').in_namespace


def test_comments_and_processing_instructions_vanish_and_cdata_is_text() -> None:
    raw = parse_xml(f'<r xmlns="{NS}"><v>41<!-- c -->11<?pi x?><![CDATA[&<]]></v></r>'.encode())
    assert raw.children[0].text == "4111&<"


def test_text_between_children_is_kept_for_the_validator() -> None:
    raw = parse_xml(f'<r xmlns="{NS}"> <a/>stray<b/>\n</r>'.encode())
    assert raw.text == " stray\n"
    type_ = seq("r", el("a", STRING), el("b", STRING))
    with pytest.raises(SchemaViolation, match="cannot contain text"):
        validate(raw, type_)
    assert validate(parse_xml(f'<r xmlns="{NS}">\n <a/>\n <b/>\n</r>'.encode()), type_) == {"a": "", "b": ""}


def test_other_encodings_are_decoded() -> None:
    text = f'<?xml version="1.0" encoding="UTF-16"?><r xmlns="{NS}"><v>Visé</v></r>'
    assert parse_xml(text.encode("utf-16")).children[0].text == "Visé"
    latin = f'<?xml version="1.0" encoding="ISO-8859-1"?><r xmlns="{NS}"><v>Visé</v></r>'
    assert parse_xml(latin.encode("latin-1")).children[0].text == "Visé"


LAUGHS = (
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.mark.parametrize(
    "prolog",
    [
        LAUGHS,
        '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE r SYSTEM "file:///etc/passwd">',
        '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
        "<!DOCTYPE r>",
    ],
    ids=["laughs", "general-external", "external-subset", "parameter", "bare"],
)
@pytest.mark.parametrize("padding", [0, 10_000])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_any_doctype_is_refused(prolog: str, padding: int, encoding: str) -> None:
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    comment = f"<!--{'p' * padding}-->" if padding else ""
    text = f'{declaration}{comment}{prolog}<r xmlns="{NS}"><v>&c;&x;</v></r>'
    with pytest.raises(XmlRejected, match="DTDs and entity declarations are not allowed"):
        parse_xml(text.encode(encoding))


def test_undeclared_entities_are_malformed() -> None:
    with pytest.raises(XmlRejected, match="not well-formed"):
        parse_xml(f'<r xmlns="{NS}"><v>&x;</v></r>'.encode())


@pytest.mark.parametrize(
    "body",
    [
        b"<r><![CDATA[4111111111111111",
        b"<r><!-- 4111111111111111",
        b"<r>\xe94111111111111111</r>",
        b"<r>4111111111111111</s>",
        b"<4111111111111111/>",
        b"<r>&#4111111111111111;</r>",
    ],
)
def test_syntax_errors_do_not_quote_the_document(body: bytes) -> None:
    with pytest.raises(XmlRejected) as caught:
        parse_xml(body)
    message = str(caught.value)
    assert message.startswith("The request is not well-formed XML: ")
    assert "4111" not in message
    assert "\n" not in message


def test_syntax_errors_keep_the_location() -> None:
    with pytest.raises(XmlRejected, match=r", line 1, column \d+$"):
        parse_xml(b"<r><s></r>")


# ----------------------------------------------------------------------------- JSON parsing


def leaves(raw: Raw) -> list[tuple[str, str | None]]:
    return [(child.name, child.text) for child in raw.children]


def test_json_scalars_become_element_text() -> None:
    raw = parse_json(
        json.dumps(
            {
                "r": {
                    "n": 4111111111111111,
                    "t": True,
                    "f": False,
                    "s": "x",
                    "d": 12.5,
                    "z": 0,
                    "neg": -3,
                    "tiny": 1e-07,
                    "whole": 45.0,
                    "big": 1e16,
                }
            }
        ).encode()
    )
    assert leaves(raw) == [
        ("n", "4111111111111111"),
        ("t", "true"),
        ("f", "false"),
        ("s", "x"),
        ("d", "12.5"),
        ("z", "0"),
        ("neg", "-3"),
        ("tiny", "0.0000001"),
        ("whole", "45.0"),
        ("big", "10000000000000000"),
    ]
    assert all(child.in_namespace for child in raw.children)


def test_a_single_object_equals_a_one_element_array() -> None:
    single = parse_json(b'{"r": {"p": {"a": "1"}, "q": "x"}}')
    listed = parse_json(b'{"r": {"p": [{"a": "1"}], "q": ["x"]}}')
    assert single == listed
    several = parse_json(b'{"r": {"p": [{"a": "1"}, {"a": "2"}]}}')
    assert [child.name for child in several.children] == ["p", "p"]


def test_json_null_and_empty_arrays_are_absent() -> None:
    assert parse_json(b'{"r": {"a": null, "b": [], "c": "x"}}').children == [Raw(name="c", text="x")]


def test_json_key_order_is_document_order_and_is_validated() -> None:
    body = b'{"getCustomerProfileIdsRequest": {"refId": "1", "merchantAuthentication": {}}}'
    raw = parse_json(body)
    assert [child.name for child in raw.children] == ["refId", "merchantAuthentication"]
    with pytest.raises(SchemaViolation, match="invalid child element 'refId'"):
        validate(raw, REQUESTS["getCustomerProfileIdsRequest"])


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b'"x"',
        b"{}",
        b'{"a": {}, "b": {}}',
        b'{"a": 1}',
        b'{"a": []}',
        b"{",
        b'{"a": {"b": [[1]]}}',
        b'{"a": {"b": "x\\u0001"}}',
        b'{"a": {"b\\u0000": "x"}}',
        b'{"a\\uffff": {}}',
        b'{"a": {"b": "\\ud800"}}',
    ],
)
def test_unacceptable_json_is_rejected(body: bytes) -> None:
    with pytest.raises(JsonRejected):
        parse_json(body)


def test_nesting_is_limited() -> None:
    def nested(objects: int) -> bytes:
        """A request whose content is `objects` objects deep."""
        return b'{"r":' + b'{"a":' * (objects - 1) + b"{}" + b"}" * objects

    assert parse_json(nested(MAX_DEPTH)).name == "r"
    with pytest.raises(JsonRejected, match="levels deep"):
        parse_json(nested(MAX_DEPTH + 1))
    with pytest.raises(JsonRejected):
        parse_json(nested(5000))


def test_json_strings_keep_allowed_whitespace_and_unicode() -> None:
    raw = parse_json('{"r": {"a": "tab\\t nl\\n cr\\r é 😀"}}'.encode())
    assert raw.children[0].text == "tab\t nl\n cr\r é 😀"


# ----------------------------------------------------------------------------- dialect


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'{"a":1}', "application/json", True),
        (b'{"a":1}', "application/json; charset=utf-8", True),
        (b'{"a":1}', "APPLICATION/JSON", True),
        (b"<a/>", "application/json", True),
        (b'{"a":1}', "application/xml", False),
        (b'{"a":1}', "text/xml; charset=utf-8", False),
        (b'{"a":1}', "", True),
        (b'{"a":1}', "text/plain", True),
        (b'{"a":1}', "application/x-www-form-urlencoded", True),
        (BOM + b' \r\n\t{"a":1}', "", True),
        (b"<a/>", "", False),
        (b"\n <a/>", "text/plain", False),
        (BOM + b"<a/>", "", False),
        (b"", "", False),
        (b"   ", "", False),
    ],
)
def test_dialect_by_content_type_then_first_non_blank_byte(
    body: bytes, content_type: str, expected: bool
) -> None:
    assert is_json(body, content_type) is expected
