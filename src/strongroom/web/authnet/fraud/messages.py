"""Message definitions of updateHeldTransaction (approve or decline a transaction the fraud
filters held), in schema order."""

from __future__ import annotations

from strongroom.web.authnet.common.messages import request, response
from strongroom.web.authnet.transactions.messages import TRANSACTION_RESPONSE
from strongroom.web.authnet.wire.schema import STRING, el, enum, req, seq

AFDS_TRANSACTION = enum("afdsTransactionEnum", "approve", "decline")
HELD_TRANSACTION_REQUEST = seq(
    "heldTransactionRequestType", req("action", AFDS_TRANSACTION), req("refTransId", STRING)
)

UPDATE_HELD_TRANSACTION_REQUEST = request(
    "updateHeldTransactionRequest", req("heldTransactionRequest", HELD_TRANSACTION_REQUEST)
)
UPDATE_HELD_TRANSACTION_RESPONSE = response(
    "updateHeldTransactionResponse", el("transactionResponse", TRANSACTION_RESPONSE)
)
