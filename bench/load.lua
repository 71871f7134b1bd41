-- wrk script for bench/load.py: builds each call's request, checks every answer, reports.
--
--   wrk -t2 -cN -dS -s bench/load.lua URL -- CALL RUN_TAG [PROFILE_ID PAYMENT_PROFILE_ID]
--
-- CALL is one of the keys of `calls` below. Every answer must be HTTP 200 and, for API calls,
-- resultCode Ok (and responseCode 1 for charges); the rest are counted as not Ok per thread.
-- done() prints one "strongroom-load" line of key=value pairs that load.py parses, and the
-- first bad answer of each thread (status and start of the body) for diagnosis.

local LOGIN, KEY = "5KP3u95bQpv", "346HZ32z3fP4hTG2" -- the sandbox merchant a fresh server creates
local NS = 'xmlns="AnetApi/xml/v1/schema/AnetApiSchema.xsd"'
local AUTH = "<merchantAuthentication><name>" .. LOGIN .. "</name><transactionKey>" .. KEY
  .. "</transactionKey></merchantAuthentication>"
local JSON_AUTH = '"merchantAuthentication":{"name":"' .. LOGIN .. '","transactionKey":"' .. KEY .. '"}'
local NO_DUPLICATE_CHECK = "<transactionSettings><setting><settingName>duplicateWindow</settingName>"
  .. "<settingValue>0</settingValue></setting></transactionSettings>"
local JSON_NO_DUPLICATE_CHECK =
  '"transactionSettings":{"setting":[{"settingName":"duplicateWindow","settingValue":"0"}]}'
local CARD = "<creditCard><cardNumber>4111111111111111</cardNumber>"
  .. "<expirationDate>2035-12</expirationDate></creditCard>"

local XML = { ["Content-Type"] = "text/xml" }
local JSON = { ["Content-Type"] = "application/json" }

-- Per call: method, content headers, body template (%s slots filled by `fill`), the answer
-- it must carry besides status 200, and whether it is a charge (responseCode 1 too).
local calls = {
  isalive = { body = "<isAliveRequest " .. NS .. "/>" },
  healthz = { get = true },
  charge_profile_xml = {
    charge = true,
    body = "<createTransactionRequest " .. NS .. ">" .. AUTH .. "<transactionRequest>"
      .. "<transactionType>authCaptureTransaction</transactionType><amount>%s</amount>"
      .. "<profile><customerProfileId>%s</customerProfileId><paymentProfile>"
      .. "<paymentProfileId>%s</paymentProfileId></paymentProfile></profile>"
      .. NO_DUPLICATE_CHECK .. "</transactionRequest></createTransactionRequest>",
    fill = function(n, a) return amount(n), a.profile, a.payment_profile end,
  },
  charge_profile_json = {
    charge = true,
    json = true,
    body = '{"createTransactionRequest":{' .. JSON_AUTH .. ',"transactionRequest":{'
      .. '"transactionType":"authCaptureTransaction","amount":"%s",'
      .. '"profile":{"customerProfileId":"%s","paymentProfile":{"paymentProfileId":"%s"}},'
      .. JSON_NO_DUPLICATE_CHECK .. "}}}",
    fill = function(n, a) return amount(n), a.profile, a.payment_profile end,
  },
  charge_card = {
    charge = true,
    body = "<createTransactionRequest " .. NS .. ">" .. AUTH .. "<transactionRequest>"
      .. "<transactionType>authCaptureTransaction</transactionType><amount>%s</amount>"
      .. "<payment>" .. CARD .. "</payment>" .. NO_DUPLICATE_CHECK
      .. "</transactionRequest></createTransactionRequest>",
    fill = function(n, _) return amount(n) end,
  },
  get_profile = {
    body = "<getCustomerProfileRequest " .. NS .. ">" .. AUTH .. "<customerProfileId>%s"
      .. "</customerProfileId></getCustomerProfileRequest>",
    constant = function(a) return a.profile end,
  },
  create_profile = {
    body = "<createCustomerProfileRequest " .. NS .. ">" .. AUTH .. "<profile>"
      .. "<merchantCustomerId>%s</merchantCustomerId><paymentProfiles><billTo>"
      .. "<firstName>Ellen</firstName><lastName>Johnson</lastName>"
      .. "<address>14 Main Street</address><zip>44628</zip></billTo>"
      .. "<payment>" .. CARD .. "</payment></paymentProfiles></profile>"
      .. "</createCustomerProfileRequest>",
    -- unique across the server's life: the run's tag, this thread, this thread's counter
    fill = function(n, a) return a.tag .. "t" .. id .. "n" .. n end,
  },
}

function amount(n) -- 1.00 .. 90.99, varying per request
  return string.format("%d.%02d", 1 + n % 90, n % 100)
end

-- setup() and done() share one environment, apart from the threads' own.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

id = 0 -- set per thread by setup()
seen, not_ok, first_bad = 0, 0, ""
local call, args, fixed, sent

function init(argv)
  call = calls[argv[1]]
  if call == nil then
    error("unknown call " .. tostring(argv[1]))
  end
  args = { tag = argv[2] or "r", profile = argv[3], payment_profile = argv[4] }
  sent = 0
  if call.get then
    fixed = wrk.format("GET", nil, nil, nil)
  elseif call.fill == nil then
    local body = call.body
    if call.constant then
      body = string.format(body, call.constant(args))
    end
    fixed = wrk.format("POST", nil, call.json and JSON or XML, body)
  end
end

function request()
  if fixed then
    return fixed
  end
  sent = sent + 1
  return wrk.format("POST", nil, call.json and JSON or XML, string.format(call.body, call.fill(sent, args)))
end

local function answer_ok(status, body)
  if status ~= 200 then
    return false
  end
  if call.get then
    return body:find('"status":"ok"', 1, true) ~= nil
  end
  if call.json then
    return body:find('"resultCode":"Ok"', 1, true) ~= nil
      and (not call.charge or body:find('"responseCode":"1"', 1, true) ~= nil)
  end
  return body:find("<resultCode>Ok<", 1, true) ~= nil
    and (not call.charge or body:find("<responseCode>1<", 1, true) ~= nil)
end

function response(status, headers, body)
  seen = seen + 1
  if not answer_ok(status, body) then
    not_ok = not_ok + 1
    if first_bad == "" then -- the status, the first message code, the start of the body
      local code = body:match("<code>(%w+)</code>") or body:match('"code":"(%w+)"') or "-"
      first_bad = status .. " " .. code .. " " .. string.sub(body, 1, 200):gsub("%s+", " ")
    end
  end
end

function done(summary, latency, requests)
  local total_seen, total_bad = 0, 0
  for _, thread in ipairs(threads) do
    total_seen = total_seen + thread:get("seen")
    total_bad = total_bad + thread:get("not_ok")
    local bad = thread:get("first_bad")
    if bad ~= "" then
      io.write("strongroom-load-bad thread=", thread:get("id"), " ", bad, "\n")
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "strongroom-load requests=%d duration_us=%d p50_us=%d p99_us=%d seen=%d not_ok=%d"
      .. " connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    total_seen, total_bad, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
