"""Handlers of the CIM operations: each decodes its request, calls one service, builds values."""

from __future__ import annotations

from strongroom.domain.customers import ProfileType
from strongroom.domain.errors import Duplicate, MissingField, ValidationDeclined
from strongroom.services.profiles.customer_profiles import ProfileLookup
from strongroom.services.profiles.payment_profiles import parse_month
from strongroom.services.profiles.verification import parse_mode
from strongroom.web.authnet.cim import decode
from strongroom.web.authnet.cim.views import (
    list_item_values,
    payment_profile_values,
    profile_values,
    shipping_address_values,
    subscription_ids,
)
from strongroom.web.authnet.common.direct_response import validation_record
from strongroom.web.authnet.operations import Context, Values
from strongroom.web.authnet.wire.tree import Node

DEFAULT_PAGE_SIZE = 1000


def _required(node: Node, name: str) -> str:
    value = node.text(name)
    if not value:
        raise MissingField(name, f"{name} is required.")
    return value


def create_customer_profile(ctx: Context, request: Node) -> Values:
    profile = request.node("profile")
    assert profile is not None
    created = ctx.services.customer_profiles.create(
        ctx.tenant, decode.profile_draft(profile), parse_mode(request.text("validationMode"))
    )
    return {
        "customerProfileId": created.profile_ref,
        "customerPaymentProfileIdList": {"numericString": list(created.payment_profile_refs)},
        "customerShippingAddressIdList": {"numericString": list(created.address_refs)},
        "validationDirectResponseList": {"string": [validation_record(item) for item in created.validations]},
    }


def profile_error(_: Node, error: Exception) -> Values:
    if isinstance(error, ValidationDeclined):
        return {"validationDirectResponseList": {"string": [validation_record(error.outcome)]}}
    return {}


def get_customer_profile(ctx: Context, request: Node) -> Values:
    lookup = ProfileLookup(
        request.text("customerProfileId"), request.text("merchantCustomerId"), request.text("email")
    )
    profile = ctx.services.customer_profiles.get(ctx.tenant, lookup)
    return {
        "profile": profile_values(
            profile,
            unmask_expiry=bool(request.flag("unmaskExpirationDate")),
            issuer_info=bool(request.flag("includeIssuerInfo")),
        ),
        "subscriptionIds": subscription_ids(profile.subscription_refs),
    }


def get_customer_profile_ids(ctx: Context, _: Node) -> Values:
    return {"ids": {"numericString": ctx.services.customer_profiles.ids(ctx.tenant)}}


def update_customer_profile(ctx: Context, request: Node) -> Values:
    profile = request.node("profile")
    assert profile is not None
    profile_type = profile.text("profileType")
    ctx.services.customer_profiles.update(
        ctx.tenant,
        _required(profile, "customerProfileId"),
        profile.text("merchantCustomerId") or None,
        profile.text("description") or None,
        profile.text("email") or None,
        ProfileType(profile_type) if profile_type else None,
    )
    return {}


def delete_customer_profile(ctx: Context, request: Node) -> Values:
    ctx.services.customer_profiles.delete(ctx.tenant, _required(request, "customerProfileId"))
    return {}


def create_customer_payment_profile(ctx: Context, request: Node) -> Values:
    payment_profile = request.node("paymentProfile")
    assert payment_profile is not None
    profile_ref = _required(request, "customerProfileId")
    ref, outcome = ctx.services.payment_profiles.add(
        ctx.tenant,
        profile_ref,
        decode.payment_profile_draft(payment_profile),
        parse_mode(request.text("validationMode")),
    )
    values: Values = {"customerProfileId": profile_ref, "customerPaymentProfileId": ref}
    if outcome is not None:
        values["validationDirectResponse"] = validation_record(outcome)
    return values


def payment_profile_error(request: Node, error: Exception) -> Values:
    """A declined validation carries its record; a duplicate names the existing payment profile
    (as the live service does, and integrations read it from there)."""
    if isinstance(error, ValidationDeclined):
        return {"validationDirectResponse": validation_record(error.outcome)}
    if isinstance(error, Duplicate) and request.node("paymentProfile") is not None:
        return {
            "customerProfileId": request.text("customerProfileId"),
            "customerPaymentProfileId": error.existing_ref,
        }
    return {}


def payment_profile_list_error(_: Node, __: Exception) -> Values:
    return {"totalNumInResultSet": 0}


def get_customer_payment_profile(ctx: Context, request: Node) -> Values:
    profile = ctx.services.payment_profiles.get(
        ctx.tenant, _required(request, "customerProfileId"), _required(request, "customerPaymentProfileId")
    )
    return {
        "paymentProfile": payment_profile_values(
            profile,
            unmask_expiry=bool(request.flag("unmaskExpirationDate")),
            issuer_info=bool(request.flag("includeIssuerInfo")),
        )
    }


def get_customer_payment_profile_list(ctx: Context, request: Node) -> Values:
    sorting = request.node("sorting")
    paging = request.node("paging")
    page = ctx.services.payment_profiles.expiring(
        ctx.tenant,
        parse_month(_required(request, "month")),
        descending=bool(sorting and sorting.flag("orderDescending")),
        page=int(paging.text("offset") or 1) if paging else 1,
        page_size=int(paging.text("limit") or DEFAULT_PAGE_SIZE) if paging else DEFAULT_PAGE_SIZE,
    )
    return {
        "totalNumInResultSet": page.total,
        "paymentProfiles": {"paymentProfile": [list_item_values(item) for item in page.items]},
    }


def validate_customer_payment_profile(ctx: Context, request: Node) -> Values:
    outcome = ctx.services.payment_profiles.validate(
        ctx.tenant,
        _required(request, "customerProfileId"),
        _required(request, "customerPaymentProfileId"),
        request.text("customerShippingAddressId"),
        decode.secret(request, "cardCode"),
        parse_mode(request.text("validationMode"), required=True),
    )
    return {"directResponse": validation_record(outcome)}


def validation_error(_: Node, error: Exception) -> Values:
    if isinstance(error, ValidationDeclined):
        return {"directResponse": validation_record(error.outcome)}
    return {}


def update_customer_payment_profile(ctx: Context, request: Node) -> Values:
    payment_profile = request.node("paymentProfile")
    assert payment_profile is not None
    outcome = ctx.services.payment_profiles.update(
        ctx.tenant,
        _required(request, "customerProfileId"),
        decode.payment_profile_change(payment_profile),
        parse_mode(request.text("validationMode")),
    )
    if outcome is None:
        return {}
    return {"validationDirectResponse": validation_record(outcome)}


def delete_customer_payment_profile(ctx: Context, request: Node) -> Values:
    ctx.services.payment_profiles.delete(
        ctx.tenant, _required(request, "customerProfileId"), _required(request, "customerPaymentProfileId")
    )
    return {}


def create_customer_shipping_address(ctx: Context, request: Node) -> Values:
    address = request.node("address")
    assert address is not None
    profile_ref = _required(request, "customerProfileId")
    ref = ctx.services.shipping_addresses.add(
        ctx.tenant, profile_ref, decode.address(address), bool(request.flag("defaultShippingAddress"))
    )
    return {"customerProfileId": profile_ref, "customerAddressId": ref}


def get_customer_shipping_address(ctx: Context, request: Node) -> Values:
    profile_ref = _required(request, "customerProfileId")
    address = ctx.services.shipping_addresses.get(
        ctx.tenant, profile_ref, _required(request, "customerAddressId")
    )
    return {
        "defaultShippingAddress": address.is_default,
        "address": shipping_address_values(address),
        "subscriptionIds": subscription_ids(address.subscription_refs),
    }


def update_customer_shipping_address(ctx: Context, request: Node) -> Values:
    address = request.node("address")
    assert address is not None
    ctx.services.shipping_addresses.replace(
        ctx.tenant,
        _required(request, "customerProfileId"),
        _required(address, "customerAddressId"),
        decode.address(address),
        request.flag("defaultShippingAddress"),
    )
    return {}


def delete_customer_shipping_address(ctx: Context, request: Node) -> Values:
    ctx.services.shipping_addresses.delete(
        ctx.tenant, _required(request, "customerProfileId"), _required(request, "customerAddressId")
    )
    return {}
