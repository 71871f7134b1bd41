"""The table of operations the Authorize.Net door answers, by request element name."""

from __future__ import annotations

from typing import Final

from strongroom.web.authnet import cim_handlers as cim
from strongroom.web.authnet.messages_cim import REQUESTS as CIM_REQUESTS
from strongroom.web.authnet.messages_cim import RESPONSES as CIM_RESPONSES
from strongroom.web.authnet.messages_common import API_RESPONSE
from strongroom.web.authnet.operations import DeclinedView, Handler, Operation
from strongroom.web.authnet.schema import seq

ERROR_RESPONSE: Final = seq("ErrorResponse", base=API_RESPONSE)


def _cim(name: str, handler: Handler, on_declined: DeclinedView | None = None) -> Operation:
    response_name = name.removesuffix("Request") + "Response"
    return Operation(CIM_REQUESTS[name], response_name, CIM_RESPONSES[response_name], handler,
                     on_declined)


OPERATIONS: Final[dict[str, Operation]] = {
    operation.request.name: operation for operation in (
        _cim("createCustomerProfileRequest", cim.create_customer_profile, cim.declined_profile),
        _cim("getCustomerProfileRequest", cim.get_customer_profile),
        _cim("getCustomerProfileIdsRequest", cim.get_customer_profile_ids),
        _cim("updateCustomerProfileRequest", cim.update_customer_profile),
        _cim("deleteCustomerProfileRequest", cim.delete_customer_profile),
        _cim("createCustomerPaymentProfileRequest", cim.create_customer_payment_profile,
             cim.declined_payment_profile),
        _cim("getCustomerPaymentProfileRequest", cim.get_customer_payment_profile),
        _cim("getCustomerPaymentProfileListRequest", cim.get_customer_payment_profile_list),
        _cim("validateCustomerPaymentProfileRequest", cim.validate_customer_payment_profile,
             cim.declined_validation),
        _cim("updateCustomerPaymentProfileRequest", cim.update_customer_payment_profile,
             cim.declined_payment_profile),
        _cim("deleteCustomerPaymentProfileRequest", cim.delete_customer_payment_profile),
        _cim("createCustomerShippingAddressRequest", cim.create_customer_shipping_address),
        _cim("getCustomerShippingAddressRequest", cim.get_customer_shipping_address),
        _cim("updateCustomerShippingAddressRequest", cim.update_customer_shipping_address),
        _cim("deleteCustomerShippingAddressRequest", cim.delete_customer_shipping_address),
    )
}
