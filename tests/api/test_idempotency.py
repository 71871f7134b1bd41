"""Idempotency-Key: a retried request gets the first answer and nothing happens twice."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import httpx
import pytest

from tests.api.live_server import LiveServer
from tests.api.sdk import ApiMerchant, new_merchant

CHARGE = (
    '<createTransactionRequest xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd">'
    "<merchantAuthentication><name>{login}</name><transactionKey>{key}</transactionKey>"
    "</merchantAuthentication><transactionRequest>"
    "<transactionType>authCaptureTransaction</transactionType><amount>{amount}</amount>"
    "<payment><creditCard><cardNumber>4111111111111111</cardNumber>"
    "<expirationDate>2035-12</expirationDate></creditCard></payment>"
    "<transactionSettings><setting><settingName>duplicateWindow</settingName>"
    "<settingValue>0</settingValue></setting></transactionSettings>"
    "</transactionRequest></createTransactionRequest>"
)
CHARGE_JSON = (
    '{{"createTransactionRequest":{{"merchantAuthentication":{{"name":"{login}",'
    '"transactionKey":"{key}"}},"transactionRequest":{{"transactionType":'
    '"authCaptureTransaction","amount":"{amount}","payment":{{"creditCard":{{"cardNumber":'
    '"4111111111111111","expirationDate":"2035-12"}}}},"transactionSettings":{{"setting":'
    '[{{"settingName":"duplicateWindow","settingValue":"0"}}]}}}}}}}}'
)


def charge(
    server: LiveServer,
    merchant: ApiMerchant,
    key: str | None,
    amount: str = "12.34",
    template: str = CHARGE,
    content_type: str = "text/xml",
) -> httpx.Response:
    body = template.format(login=merchant.login_id, key=merchant.transaction_key, amount=amount)
    headers = {"content-type": content_type}
    if key is not None:
        headers["idempotency-key"] = key
    response = httpx.post(server.endpoint, content=body, headers=headers, timeout=30)
    assert response.status_code == 200
    return response


def trans_id(response: httpx.Response) -> str:
    found = re.search(r'(?:<transId>|"transId":")(\d+)', response.text)
    assert found, response.text
    return found[1]


def code(response: httpx.Response) -> str:
    found = re.search(r'(?:<code>|"code":")(\w+)', response.text)
    assert found, response.text
    return found[1]


def test_without_a_key_each_request_runs(server: LiveServer, merchant: ApiMerchant) -> None:
    assert trans_id(charge(server, merchant, None)) != trans_id(charge(server, merchant, None))


@pytest.mark.parametrize(
    ("template", "content_type"), [(CHARGE, "text/xml"), (CHARGE_JSON, "application/json")]
)
def test_a_retry_gets_the_first_answer_and_charges_once(
    server: LiveServer, merchant: ApiMerchant, template: str, content_type: str
) -> None:
    first = charge(server, merchant, "order-1001", template=template, content_type=content_type)
    again = charge(server, merchant, "order-1001", template=template, content_type=content_type)
    assert code(first) == "I00001"
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"]
    other = charge(server, merchant, "order-1002", template=template, content_type=content_type)
    assert trans_id(other) != trans_id(first)


def test_the_same_key_with_another_body_is_refused(server: LiveServer, merchant: ApiMerchant) -> None:
    first = charge(server, merchant, "order-2001", amount="10.00")
    refused = charge(server, merchant, "order-2001", amount="11.00")
    assert code(refused) == "E00013"
    assert "Idempotency-Key" in refused.text
    assert trans_id(refused) == "0"  # nothing was charged
    # the first answer is still the one a true retry gets
    assert charge(server, merchant, "order-2001", amount="10.00").content == first.content


def test_keys_belong_to_one_merchant(server: LiveServer, merchant: ApiMerchant) -> None:
    other = new_merchant(server, "Other merchant")
    mine = charge(server, merchant, "shared-key")
    theirs = charge(server, other, "shared-key")
    assert code(mine) == code(theirs) == "I00001"
    assert trans_id(mine) != trans_id(theirs)


def test_answers_are_kept_for_a_day_and_keys_for_thirty(server: LiveServer, merchant: ApiMerchant) -> None:
    first = charge(server, merchant, "order-3001")
    server.clock.advance(timedelta(hours=23, minutes=59))
    assert charge(server, merchant, "order-3001").content == first.content
    server.clock.advance(timedelta(minutes=2))
    server.application.idempotency.purge()
    gone = charge(server, merchant, "order-3001")
    assert code(gone) == "E00013"  # the answer is gone, but the charge is never run again
    assert "no longer kept" in gone.text
    assert trans_id(gone) == "0"
    server.clock.advance(timedelta(days=30))
    server.application.idempotency.purge()
    assert trans_id(charge(server, merchant, "order-3001")) != trans_id(first)


@pytest.mark.parametrize("key", ["", "k" * 256, "tab\tkey"])
def test_malformed_keys_are_refused(server: LiveServer, merchant: ApiMerchant, key: str) -> None:
    refused = charge(server, merchant, key)
    assert code(refused) == "E00013"
    assert "Idempotency-Key" in refused.text


def test_concurrent_retries_charge_once(server: LiveServer, merchant: ApiMerchant) -> None:
    barrier = threading.Barrier(4)
    answers: list[httpx.Response] = []
    lock = threading.Lock()

    def send() -> None:
        barrier.wait()
        response = charge(server, merchant, "order-4001")
        with lock:
            answers.append(response)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == 4
    charged = {trans_id(answer) for answer in answers if code(answer) == "I00001"}
    assert len(charged) == 1
    for answer in answers:
        if code(answer) != "I00001":
            assert "still being processed" in answer.text
    # once done, every retry gets the one answer
    assert trans_id(charge(server, merchant, "order-4001")) in charged
