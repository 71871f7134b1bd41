"""The schema-order validator: cursor over sequences, optional runs, repeated elements and
choices; the .NET-style texts it produces; simple-type checks; sensitive values masked."""

from __future__ import annotations

import pytest

from strongroom.web.authnet.arb.messages import short
from strongroom.web.authnet.cim.messages import REQUESTS
from strongroom.web.authnet.common.messages import MERCHANT_AUTHENTICATION
from strongroom.web.authnet.wire.schema import (
    ANY,
    BOOLEAN,
    DATE,
    DATETIME,
    DECIMAL,
    INT,
    NS,
    NUMERIC_STRING,
    STRING,
    XSD_NS,
    Complex,
    Kind,
    Simple,
    decimal,
    el,
    enum,
    integer,
    many,
    one_of,
    req,
    seq,
    string,
)
from strongroom.web.authnet.wire.tree import Node, Raw
from strongroom.web.authnet.wire.validation import SchemaViolation, check_simple, validate


def leaf(name: str, text: str = "v", namespace: str = NS) -> Raw:
    return Raw(name=name, namespace=namespace, text=text)


def element(name: str, *children: Raw | str, text: str | None = None) -> Raw:
    """An element; bare strings are leaf children named by the string."""
    kids = [leaf(child) if isinstance(child, str) else child for child in children]
    return Raw(name=name, text=text, children=kids, has_children=bool(kids))


def violation(raw: Raw, type_: Complex) -> str:
    with pytest.raises(SchemaViolation) as caught:
        validate(raw, type_)
    return caught.value.text


def invalid_child(parent: str, child: str, expected: str | None) -> str:
    tail = f" List of possible elements expected: '{expected}' in namespace '{NS}'." if expected else ""
    return (
        f"The element '{parent}' in namespace '{NS}' has invalid child element '{child}' "
        f"in namespace '{NS}'.{tail}"
    )


def incomplete(parent: str, expected: str) -> str:
    return (
        f"The element '{parent}' in namespace '{NS}' has incomplete content. "
        f"List of possible elements expected: '{expected}' in namespace '{NS}'."
    )


# ----------------------------------------------------------------------------- sequences

# a (required), b? c? (an optional run), d (required), e?
SEQUENCE = seq(
    "sequenceType", req("a", STRING), el("b", STRING), el("c", STRING), req("d", STRING), el("e", STRING)
)


def test_sequence_in_order_with_optionals_skipped() -> None:
    node = validate(element("s", "a", "c", "d"), SEQUENCE)
    assert node == {"a": "v", "c": "v", "d": "v"}


def test_unexpected_child_lists_the_optional_run_up_to_the_next_required() -> None:
    assert violation(element("s", "a", "zz"), SEQUENCE) == invalid_child("s", "zz", "b, c, d")


def test_a_later_element_that_skips_a_required_one_is_reported_at_the_cursor() -> None:
    # 'e' exists but 'd' is required before it: the list is what was possible after 'a'.
    assert violation(element("s", "a", "e"), SEQUENCE) == invalid_child("s", "e", "b, c, d")


def test_going_back_lists_what_remains_after_the_current_element() -> None:
    assert violation(element("s", "a", "c", "b"), SEQUENCE) == invalid_child("s", "b", "d")
    assert violation(element("s", "a", "a"), SEQUENCE) == invalid_child("s", "a", "b, c, d")


def test_when_nothing_may_follow_the_list_is_left_out() -> None:
    assert violation(element("s", "a", "d", "e", "b"), SEQUENCE) == invalid_child("s", "b", None)


def test_first_child_must_be_the_first_required() -> None:
    assert violation(element("s", "b"), SEQUENCE) == invalid_child("s", "b", "a")


def test_missing_required_elements_are_incomplete_content() -> None:
    assert violation(element("s"), SEQUENCE) == incomplete("s", "a")
    assert violation(element("s", "a"), SEQUENCE) == incomplete("s", "b, c, d")
    assert violation(element("s", "a", "b", "c"), SEQUENCE) == incomplete("s", "d")


# ----------------------------------------------------------------------------- repeated elements

UNBOUNDED = seq("unboundedType", many("item", STRING), req("end", STRING))
BOUNDED = seq("boundedType", el("item", STRING, 0, 2), req("end", STRING))
AT_LEAST_TWO = seq("atLeastTwoType", many("item", STRING, 2), el("tail", STRING))


def test_repeated_elements_are_kept_in_document_order() -> None:
    raw = element("r", leaf("item", "1"), leaf("item", "2"), leaf("item", "3"), "end")
    node = validate(raw, UNBOUNDED)
    assert node["item"] == ["1", "2", "3"]
    assert node.texts("item") == ["1", "2", "3"]


def test_an_absent_repeated_element_has_no_entry() -> None:
    node = validate(element("r", "end"), UNBOUNDED)
    assert "item" not in node
    assert node.texts("item") == []


def test_while_more_may_come_the_repeated_element_is_still_expected() -> None:
    assert violation(element("r", "item", "zz"), UNBOUNDED) == invalid_child("r", "zz", "item, end")


def test_a_bounded_element_past_its_maximum_is_unexpected() -> None:
    validate(element("r", "item", "item", "end"), BOUNDED)
    assert violation(element("r", "item", "item", "item"), BOUNDED) == invalid_child("r", "item", "end")


def test_a_minimum_above_one_must_be_reached() -> None:
    assert violation(element("r", "item"), AT_LEAST_TWO) == incomplete("r", "item")
    assert violation(element("r", "item", "zz"), AT_LEAST_TWO) == invalid_child("r", "zz", "item")
    validate(element("r", "item", "item"), AT_LEAST_TWO)
    assert violation(element("r", "item", "item", "zz"), AT_LEAST_TWO) == invalid_child(
        "r", "zz", "item, tail"
    )


# ----------------------------------------------------------------------------- choices

CHOICE = seq("choiceType", el("pre", STRING), one_of(req("x", STRING), req("y", STRING)), el("post", STRING))
EMPTIABLE_CHOICE = seq(
    "emptiableType", el("pre", STRING), one_of(req("x", STRING), el("y", STRING)), el("post", STRING)
)
REPEATING_CHOICE = seq("repeatingType", one_of(many("x", STRING, 1), req("y", STRING)), el("post", STRING))


@pytest.mark.parametrize("children", [("x",), ("y",), ("pre", "x", "post"), ("pre", "y")])
def test_a_choice_takes_any_one_option(children: tuple[str, ...]) -> None:
    assert set(validate(element("c", *children), CHOICE)) == set(children)


def test_once_chosen_the_other_options_are_no_longer_expected() -> None:
    assert violation(element("c", "x", "y"), CHOICE) == invalid_child("c", "y", "post")
    assert violation(element("c", "y", "y"), CHOICE) == invalid_child("c", "y", "post")


def test_before_the_choice_every_option_is_expected() -> None:
    assert violation(element("c", "pre", "post"), CHOICE) == invalid_child("c", "post", "x, y")
    assert violation(element("c", "zz"), CHOICE) == invalid_child("c", "zz", "pre, x, y")
    assert violation(element("c", "pre"), CHOICE) == incomplete("c", "x, y")
    assert violation(element("c"), CHOICE) == incomplete("c", "pre, x, y")


def test_a_choice_with_an_optional_option_may_be_empty() -> None:
    assert validate(element("c", "pre", "post"), EMPTIABLE_CHOICE) == {"pre": "v", "post": "v"}
    assert validate(element("c"), EMPTIABLE_CHOICE) == {}
    assert violation(element("c", "pre", "zz"), EMPTIABLE_CHOICE) == invalid_child("c", "zz", "x, y, post")


def test_a_repeatable_option_stays_chosen() -> None:
    node = validate(element("c", leaf("x", "1"), leaf("x", "2"), "post"), REPEATING_CHOICE)
    assert node == {"x": ["1", "2"], "post": "v"}
    assert violation(element("c", "x", "y"), REPEATING_CHOICE) == invalid_child("c", "y", "x, post")


def test_merchant_authentication_follows_the_official_choice() -> None:
    credentials = (
        "transactionKey, sessionToken, password, impersonationAuthentication, "
        "fingerPrint, clientKey, accessToken"
    )
    # The schema's choice holds optional options, so credentials may be absent altogether
    # (authentication then fails with E00007 rather than schema validation with E00003).
    assert validate(element("merchantAuthentication", "name"), MERCHANT_AUTHENTICATION) == {"name": "v"}
    assert violation(
        element("merchantAuthentication", "name", "zz"), MERCHANT_AUTHENTICATION
    ) == invalid_child("merchantAuthentication", "zz", f"{credentials}, mobileDeviceId")
    assert violation(
        element("merchantAuthentication", "transactionKey", "password"), MERCHANT_AUTHENTICATION
    ) == invalid_child("merchantAuthentication", "password", "mobileDeviceId")
    assert violation(
        element("merchantAuthentication", "transactionKey", "name"), MERCHANT_AUTHENTICATION
    ) == invalid_child("merchantAuthentication", "name", "mobileDeviceId")


def test_a_real_request_with_ref_id_first() -> None:
    raw = element(
        "createCustomerProfileRequest", "refId", element("merchantAuthentication", "name", "transactionKey")
    )
    assert violation(raw, REQUESTS["createCustomerProfileRequest"]) == invalid_child(
        "createCustomerProfileRequest", "refId", "merchantAuthentication"
    )


def test_nested_violations_name_the_nested_element() -> None:
    card = element("creditCard", leaf("expirationDate", "2035-12"))
    raw = element(
        "getCustomerProfileIdsRequest",
        element("merchantAuthentication", "name", "transactionKey"),
        "clientId",
        card,
    )
    assert violation(raw, REQUESTS["getCustomerProfileIdsRequest"]) == invalid_child(
        "getCustomerProfileIdsRequest", "creditCard", "refId"
    )


# ----------------------------------------------------------------------------- text and namespaces


def test_text_in_an_element_only_type_is_refused_but_blanks_are_not() -> None:
    assert validate(element("s", "a", "d", text="\n  \t"), SEQUENCE) == {"a": "v", "d": "v"}
    assert violation(element("s", "a", "d", text="stray"), SEQUENCE) == (
        f"The element 's' in namespace '{NS}' cannot contain text. "
        f"List of possible elements expected: 'e' in namespace '{NS}'."
    )
    assert violation(element("s", "a", "d", "e", text="stray"), SEQUENCE) == (
        f"The element 's' in namespace '{NS}' cannot contain text."
    )


def test_a_simple_element_with_children_is_refused() -> None:
    raw = element("s", element("a", "inner"), "d")
    assert violation(raw, SEQUENCE) == (
        f"The element '{NS}:a' cannot contain child element '{NS}:inner' because the parent "
        "element's content model is text only."
    )


def test_children_in_other_namespaces_are_named_with_theirs() -> None:
    foreign = element("s", leaf("a", namespace="urn:other"))
    assert violation(foreign, SEQUENCE) == (
        f"The element 's' in namespace '{NS}' has invalid child element 'a' in namespace "
        f"'urn:other'. List of possible elements expected: 'a' in namespace '{NS}'."
    )
    unqualified = element("s", leaf("a", namespace=""))
    assert violation(unqualified, SEQUENCE) == (
        f"The element 's' in namespace '{NS}' has invalid child element 'a'. "
        f"List of possible elements expected: 'a' in namespace '{NS}'."
    )


def test_complex_children_become_nodes() -> None:
    outer = seq("outerType", req("inner", SEQUENCE), many("more", SEQUENCE))
    node = validate(element("o", element("inner", "a", "d"), element("more", "a", "d")), outer)
    inner = node.node("inner")
    assert isinstance(inner, Node)
    assert inner.text("a") == "v"
    assert len(node.nodes("more")) == 1
    assert node.nodes("inner") == [inner]
    assert node.text("inner") is None


# ----------------------------------------------------------------------------- simple values


def bad_value(name: str, value: str, type_: Simple) -> str:
    with pytest.raises(SchemaViolation) as caught:
        check_simple(name, value, type_)
    return caught.value.text


def test_simple_violation_text_has_the_dotnet_form() -> None:
    assert bad_value("customerProfileId", "12a", NUMERIC_STRING) == (
        f"The '{NS}:customerProfileId' element is invalid - The value '12a' is invalid according "
        f"to its datatype '{NS}:numericString' - The Pattern constraint failed."
    )
    assert bad_value("limit", "ten", INT) == (
        f"The '{NS}:limit' element is invalid - The value 'ten' is invalid according to its "
        f"datatype '{XSD_NS}:int' - The string 'ten' is not a valid Int32 value."
    )


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        (NUMERIC_STRING, "0012"),
        (STRING, " padded "),
        (STRING, ""),
        (BOOLEAN, "true"),
        (BOOLEAN, "false"),
        (BOOLEAN, "1"),
        (BOOLEAN, "0"),
        (INT, "-5"),
        (INT, "2147483647"),
        (INT, "-2147483648"),
        (DECIMAL, "12.50"),
        (DECIMAL, "-1"),
        (DECIMAL, ".5"),
        (DECIMAL, "5."),
        (DECIMAL, "1234.0"),
        (DATE, "2030-12-30"),
        (DATETIME, "2026-11-15T04:26:01.829712"),
        (DATETIME, "2026-11-15T04:26:01Z"),
        (DATETIME, "2026-11-15T04:26:01-07:00"),
        (enum("e", "one", "two"), "two"),
        (integer(1, 1000), "1000"),
        (string(3), "abc"),
        (string(length=2), "TX"),
    ],
)
def test_valid_simple_values(type_: Simple, value: str) -> None:
    assert check_simple("x", value, type_) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("+5", "5"), ("-0", "0"), ("0007", "7"), ("-0000000000000042", "-42"), ("0" * 5000, "0")],
)
def test_ints_come_back_without_sign_or_leading_zeros(raw: str, value: str) -> None:
    assert check_simple("x", raw, INT) == value


@pytest.mark.parametrize(
    ("type_", "value", "problem"),
    [
        (INT, "9" * 5000, f"The string '{'9' * 5000}' is not a valid Int32 value."),
        (INT, "-" + "1" * 4301, f"The string '-{'1' * 4301}' is not a valid Int32 value."),
        (INT, "12345678901", "The string '12345678901' is not a valid Int32 value."),
        (short(1, 32000), "7" * 4301, f"The string '{'7' * 4301}' is not a valid Int16 value."),
        (short(1, 32000), "32768", "The string '32768' is not a valid Int16 value."),
        (short(1, 32000), "32001", "The MaxInclusive constraint failed."),
        (DECIMAL, "1" * 30, f"The string '{'1' * 30}' is not a valid Decimal value."),
        (
            DECIMAL,
            "79228162514264337593543950336",
            "The string '79228162514264337593543950336' is not a valid Decimal value.",
        ),
        (DECIMAL, "-" + "9" * 29 + ".5", f"The string '-{'9' * 29}.5' is not a valid Decimal value."),
        (
            decimal("0.01", fraction_digits=4),
            "1" * 300,
            f"The string '{'1' * 300}' is not a valid Decimal value.",
        ),
    ],
)
def test_long_numbers_are_refused_before_conversion(type_: Simple, value: str, problem: str) -> None:
    assert bad_value("n", value, type_).endswith(problem)


@pytest.mark.parametrize(
    "value",
    ["79228162514264337593543950335", "0" * 400 + "1.5", "1." + "0" * 400, "-79228162514264337593543950335"],
)
def test_decimals_within_system_decimal_are_valid(value: str) -> None:
    assert check_simple("n", value, DECIMAL) == value


@pytest.mark.parametrize(
    ("type_", "raw", "value"), [(BOOLEAN, " true\n", "true"), (INT, " 42 ", "42"), (DECIMAL, "\t1.5 ", "1.5")]
)
def test_non_string_values_are_whitespace_collapsed(type_: Simple, raw: str, value: str) -> None:
    assert check_simple("x", raw, type_) == value


@pytest.mark.parametrize(
    ("type_", "value", "problem"),
    [
        (NUMERIC_STRING, " 12", "The Pattern constraint failed."),
        (NUMERIC_STRING, "", "The Pattern constraint failed."),
        (BOOLEAN, "True", "The string 'True' is not a valid Boolean value."),
        (BOOLEAN, "yes", "The string 'yes' is not a valid Boolean value."),
        (INT, "2147483648", "The string '2147483648' is not a valid Int32 value."),
        (INT, "1.0", "The string '1.0' is not a valid Int32 value."),
        (integer(1, 1000), "0", "The MinInclusive constraint failed."),
        (integer(1, 1000), "1001", "The MaxInclusive constraint failed."),
        (DECIMAL, "1e5", "The string '1e5' is not a valid Decimal value."),
        (DECIMAL, "12,5", "The string '12,5' is not a valid Decimal value."),
        (DECIMAL, "", "The string '' is not a valid Decimal value."),
        (DATE, "2030-2-3", "The string '2030-2-3' is not a valid Date value."),
        (DATETIME, "2026-11-15", "The string '2026-11-15' is not a valid DateTime value."),
        (enum("e", "one", "two"), "One", "The Enumeration constraint failed."),
        (string(3), "abcd", "The actual length is greater than the MaxLength value."),
        (string(3), " abc", "The actual length is greater than the MaxLength value."),
        (string(5, 2), "a", "The actual length is less than the MinLength value."),
        (string(length=2), "Tex", "The actual length is not equal to the specified length."),
    ],
)
def test_invalid_simple_values(type_: Simple, value: str, problem: str) -> None:
    assert bad_value("x", value, type_).endswith(f" - {problem}")


def test_sensitive_values_are_masked_in_every_part_of_the_text() -> None:
    text = bad_value("cardNumber", "41111111111111111111", string(16, 4, sensitive=True))
    assert "41111111111111111111" not in text
    assert "The value '****' is invalid" in text
    secret_int = Simple(Kind.INT, f"{XSD_NS}:int", sensitive=True)
    text = bad_value("pin", "98a76", secret_int)
    assert "98a76" not in text
    assert text.endswith("The string '****' is not a valid Int32 value.")


def test_validated_simple_children_are_checked_in_place() -> None:
    type_ = seq("t", req("id", NUMERIC_STRING), el("flag", BOOLEAN))
    assert validate(element("t", leaf("id", "123"), leaf("flag", " 1 ")), type_) == {"id": "123", "flag": "1"}
    assert Node({"flag": "1"}).flag("flag") is True
    assert Node({"flag": "false"}).flag("flag") is False
    assert Node().flag("flag") is None
    with pytest.raises(SchemaViolation):
        validate(element("t", leaf("id", "12 3")), type_)


AMOUNT = decimal("0.00", fraction_digits=4)
RATE = decimal(total_digits=5, fraction_digits=5)


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        (AMOUNT, "1.2345"),
        (AMOUNT, "1.23450000"),
        (AMOUNT, "123456789.1"),
        (AMOUNT, "0"),
        (RATE, "0.12345"),
        (RATE, "12345"),
        (RATE, "0.00001"),
        (RATE, "1.2300000"),
    ],
)
def test_digit_facets_accept(type_: Simple, value: str) -> None:
    assert check_simple("x", value, type_) == value


@pytest.mark.parametrize(
    ("type_", "value", "problem"),
    [
        (AMOUNT, "1.23456", "The FractionDigits constraint failed."),
        (AMOUNT, "-0.01", "The MinInclusive constraint failed."),
        (RATE, "123456", "The TotalDigits constraint failed."),
        (RATE, "100000", "The TotalDigits constraint failed."),
        (RATE, "1.23456", "The TotalDigits constraint failed."),
        (RATE, "0.000001", "The TotalDigits constraint failed."),
    ],
)
def test_digit_facets_refuse(type_: Simple, value: str, problem: str) -> None:
    assert bad_value("x", value, type_).endswith(problem)


def test_any_type_takes_any_content_as_its_text() -> None:
    type_ = seq("t", req("data", ANY), req("after", STRING))
    raw = element(
        "t",
        element("data", leaf("inner", "b"), element("deep", leaf("x", "c")), text="a"),
        leaf("after", "d"),
    )
    assert validate(raw, type_) == {"data": "abc", "after": "d"}
    assert validate(element("t", leaf("data", "plain"), leaf("after", "d")), type_) == {
        "data": "plain",
        "after": "d",
    }
