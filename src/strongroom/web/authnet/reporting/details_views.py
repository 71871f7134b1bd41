"""Renders one transaction's details as transactionDetailsType values, in schema order."""

from __future__ import annotations

from decimal import Decimal

from strongroom.domain.customers import Address
from strongroom.domain.instruments import BankAccount
from strongroom.domain.transactions import TransactionKind
from strongroom.services.payments.card_on_file import CardOnFileUsage
from strongroom.services.reporting.details import DetailFacts
from strongroom.services.reporting.reported import ReportedTransaction
from strongroom.services.reporting.reports import TransactionDetails
from strongroom.services.transactions.requests import Charge, Customer, LineItem, OrderDetails, OtherTax
from strongroom.web.authnet import codes
from strongroom.web.authnet.cim.views import MASKED_EXPIRY, address_values
from strongroom.web.authnet.fraud.views import fds_values
from strongroom.web.authnet.operations import Values
from strongroom.web.authnet.reporting.views import (
    TRANSACTION_STATUSES,
    TRANSACTION_TYPES,
    batch_values,
    local_time,
    market,
    profile_values,
    subscription_values,
    utc_time,
)

APPROVAL = "Approval"  # the live service's description of reason 1 in reports
_NAME_AND_ADDRESS = ("firstName", "lastName", "company", "address", "city", "state", "zip", "country")
_RECURRING = frozenset({CardOnFileUsage.FIRST_RECURRING.value, CardOnFileUsage.RECURRING.value})
_MASKED_ROUTING = "XXXXXXXX"  # an account whose routing number was not kept


def reason_description(reason_code: int) -> str:
    return APPROVAL if reason_code == 1 else codes.reason_text(reason_code)


def _charge(charge: Charge | None) -> Values | None:
    if charge is None:
        return None
    return {"amount": charge.amount, "name": charge.name, "description": charge.description}


def _line_item(item: LineItem) -> Values:
    return {
        "itemId": item.item_id,
        "name": item.name,
        "description": item.description,
        "quantity": item.quantity,
        "unitPrice": item.unit_price,
        "taxable": item.taxable,
    }


def _order(record: ReportedTransaction) -> Values | None:
    values = {
        "invoiceNumber": record.invoice_number,
        "description": record.description,
        "purchaseOrderNumber": record.po_number,
    }
    return values if any(value is not None for value in values.values()) else None


def _name_and_address(address: Address | None) -> Values | None:
    if address is None:
        return None
    values = {name: value for name, value in address_values(address).items() if name in _NAME_AND_ADDRESS}
    return values or None


def _customer(customer: Customer | None) -> Values | None:
    if customer is None or not (customer.type or customer.id or customer.email):
        return None
    return {"type": customer.type, "id": customer.id, "email": customer.email}


def _other_tax(tax: OtherTax | None) -> Values | None:
    if tax is None:
        return None
    return {
        "nationalTaxAmount": tax.national_tax_amount,
        "localTaxAmount": tax.local_tax_amount,
        "alternateTaxAmount": tax.alternate_tax_amount,
        "alternateTaxId": tax.alternate_tax_id,
        "vatTaxRate": tax.vat_tax_rate,
        "vatTaxAmount": tax.vat_tax_amount,
    }


def _bank_account(record: ReportedTransaction, kept: BankAccount | None) -> Values:
    if kept is None:
        return {
            "routingNumber": _MASKED_ROUTING,
            "accountNumber": "XXXX" + record.account_last4,
            "nameOnAccount": "",
        }
    return {
        "accountType": kept.account_type.value if kept.account_type else None,
        "routingNumber": kept.masked_routing,
        "accountNumber": "XXXX" + record.account_last4,
        "nameOnAccount": kept.name_on_account,
        "echeckType": kept.echeck_type.value if kept.echeck_type else None,
        "bankName": kept.bank_name,
    }


def _payment(record: ReportedTransaction, kept: BankAccount | None) -> Values:
    if record.payment_method == "bank":
        return {"bankAccount": _bank_account(record, kept)}
    return {
        "creditCard": {
            "cardNumber": "XXXX" + record.account_last4,
            "expirationDate": MASKED_EXPIRY,
            "cardType": record.account_type or None,
        }
    }


def _recurring(record: ReportedTransaction, facts: DetailFacts) -> bool:
    if facts.recurring_billing is not None:
        return facts.recurring_billing
    return record.card_on_file in _RECURRING or record.subscription_ref is not None


def _numeric(value: str | None) -> str | None:
    return value if value and value.isdigit() else None


def _letter(value: str) -> str | None:
    return value[:1] or None


def _amounts(record: ReportedTransaction, facts: DetailFacts, order: OrderDetails) -> Values:
    requested = facts.requested_amount
    return {
        "requestedAmount": requested if requested is not None and requested >= 0 else None,
        "authAmount": record.amount,
        "settleAmount": record.settle_amount,
        "tax": _charge(order.tax),
        "shipping": _charge(order.shipping),
        "duty": _charge(order.duty),
        "lineItems": {"lineItem": [_line_item(item) for item in order.line_items]}
        if order.line_items
        else None,
        "prepaidBalanceRemaining": facts.prepaid_balance,
        "taxExempt": order.tax_exempt,
    }


def _original(record: ReportedTransaction) -> tuple[str | None, Decimal | None]:
    """originalNetworkTransId and originalAuthAmount of a merchant-initiated use."""
    if record.kind is TransactionKind.VERIFICATION:
        return None, None
    return record.original_network_trans_id, record.original_auth_amount


def details_values(details: TransactionDetails) -> Values:
    record, order = details.transaction, details.order
    facts = record.facts
    fraud = fds_values(record.fraud_action, record.fraud_filters)
    market_type, product = market(facts)
    original_id, original_amount = _original(record)
    return {
        "transId": record.ref,
        "refTransId": _numeric(record.ref_trans_ref),
        "splitTenderId": _numeric(record.split_tender_id),
        "submitTimeUTC": utc_time(record.submitted_at),
        "submitTimeLocal": local_time(record.submitted_at, details.timezone),
        "transactionType": TRANSACTION_TYPES[record.kind],
        "transactionStatus": TRANSACTION_STATUSES[record.status],
        "responseCode": record.response_code,
        "responseReasonCode": record.reason_code,
        "subscription": subscription_values(record),
        "responseReasonDescription": reason_description(record.reason_code),
        "authCode": record.auth_code or None,
        "AVSResponse": _letter(record.avs_result),
        "cardCodeResponse": _letter(record.card_code_result),
        "CAVVResponse": _letter(record.cavv_result),
        "FDSFilterAction": fraud.get("FDSFilterAction"),
        "FDSFilters": fraud.get("FDSFilters"),
        "batch": batch_values(details.batch, statistics=False, market_fields=False)
        if details.batch is not None
        else None,
        "order": _order(record),
        **_amounts(record, facts, order),
        "payment": _payment(record, details.bank_account),
        "customer": _customer(order.customer),
        "billTo": address_values(order.bill_to) or None if order.bill_to else None,
        "shipTo": _name_and_address(order.ship_to),
        "recurringBilling": _recurring(record, facts),
        "customerIP": facts.customer_ip,
        "product": product,
        "entryMode": facts.entry_mode,
        "marketType": market_type,
        "solution": {"id": facts.solution_id} if facts.solution_id else None,
        "profile": profile_values(record),
        "surcharge": _charge(order.surcharge),
        "employeeId": facts.employee_id,
        "tip": _charge(order.tip),
        "otherTax": _other_tax(order.other_tax),
        "shipFrom": _name_and_address(order.ship_from),
        "networkTransId": record.network_trans_id,
        "originalNetworkTransId": original_id,
        "originalAuthAmount": original_amount,
        "authorizationIndicator": facts.authorization_indicator,
    }
