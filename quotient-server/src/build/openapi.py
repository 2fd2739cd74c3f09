# Writes src/main/resources/io/quotient/server/api/openapi.json (run from anywhere: python3 openapi.py).
# The JSON is the source the server serves and OpenApiTest checks; this script only saves typing.
import json
R = lambda name: {"$ref": "#/components/schemas/" + name}
def resp(desc, schema=None, ctype="application/json"):
    r = {"description": desc}
    if schema: r["content"] = {ctype: {"schema": schema}}
    return r
PROBLEM = resp("A problem (RFC 9457)", R("Problem"), "application/problem+json")
def errors(*codes):
    names = {"400":"Malformed JSON","401":"No, unknown, revoked or expired credential","403":"Role or token scope does not reach this route","404":"Unknown plan, subject, reservation, key or event","409":"Conflict (idempotency key in flight, reservation closed, not refundable, last admin key)","413":"Body or batch too large","415":"Body is not application/json","422":"Invalid or unknown field; idempotency key reused with other parameters","503":"Database unavailable or shutting down"}
    return {c: {"description": names[c], "content": {"application/problem+json": {"schema": R("Problem")}}} for c in codes}
def body(schema, required=True):
    return {"required": required, "content": {"application/json": {"schema": schema}}}
ID = {"name":"id","in":"path","required":True,"schema":{"type":"string","maxLength":255}}
NAME = {"name":"name","in":"path","required":True,"schema":{"type":"string","pattern":"^[a-z0-9_.-]{1,64}$"}}
IDEM = {"name":"Idempotency-Key","in":"header","required":False,"schema":{"type":"string","maxLength":255},"description":"A retry with the same key replays the first answer (header Idempotent-Replayed: true). Same key, other parameters: 422. Same key while the first is undecided: 409. Scoped to the credential."}
REPLAYED = {"Idempotent-Replayed":{"description":"true when this is the stored answer to an earlier request with the same key","schema":{"type":"string","enum":["true"]}}}
ENF = [{"bearer":["service","admin"]}]
ADM = [{"bearer":["admin"]}]
RD = [{"bearer":["admin","read"]}]
def op(summary, tag, security, responses, params=None, req=None, desc=None):
    o = {"summary": summary, "tags": [tag], "responses": responses}
    if desc: o["description"] = desc
    if security is not None: o["security"] = security
    else: o["security"] = []
    if params: o["parameters"] = params
    if req: o["requestBody"] = req
    return o
paths = {
 "/v1/consume": {"post": op("Consume every item or none","enforcement",ENF,
    {"200": {**resp("The decision (a denial is an answer, not an error)", R("Decision")), "headers": REPLAYED}, **errors("400","401","403","409","413","415","422","503")},
    [IDEM], body(R("ConsumeRequest")))},
 "/v1/check": {"post": op("The decision a consume would get; nothing is consumed","enforcement",ENF,
    {"200": resp("The decision", R("Decision")), **errors("400","401","403","413","415","422","503")}, None, body(R("ConsumeRequest")))},
 "/v1/consume/batch": {"post": op("Several consumes, each decided on its own","enforcement",ENF,
    {"200": resp("One result per request, in order", R("BatchResponse")), **errors("400","401","403","413","415","422","503")}, None, body(R("BatchRequest")))},
 "/v1/refunds": {"post": op("Give back all or part of an earlier granted consume","enforcement",ENF,
    {"200": resp("Units given back", R("Refund")), **errors("400","401","403","404","409","413","415","422","503")}, None, body(R("RefundRequest")))},
 "/v1/reservations": {"post": op("Hold units for a long operation","enforcement",ENF,
    {"200": {**resp("The decision; reservationId and expiresAt when granted", R("Reservation")), "headers": REPLAYED}, **errors("400","401","403","409","413","415","422","503")},
    [IDEM], body(R("ReserveRequest")))},
 "/v1/reservations/{id}/commit": {"post": op("Commit a reservation with the actual amounts (the rest returns)","enforcement",ENF,
    {"200": resp("Settled", R("Settled")), **errors("400","401","403","404","409","413","415","422","503")}, [ID], body(R("CommitRequest"), False),
    "Without a body (or without amounts) everything held is committed. A metric left out of amounts commits 0.")},
 "/v1/reservations/{id}/release": {"post": op("Release a reservation: everything it holds returns","enforcement",ENF,
    {"200": resp("Settled", R("Settled")), **errors("401","403","404","409","503")}, [ID])},
 "/v1/subjects/{id}/usage": {"get": op("A subject's plan and usage per metric","enforcement",[{"bearer":["admin","service","read"]},{"subjectToken":[]}],
    {"200": resp("Usage", R("Usage")), **errors("401","403","422","503")}, [ID],
    desc="Also open to a subject token for its own subject.")},
 "/v1/plans": {"get": op("Every plan","administration",RD, {"200": resp("Plans", {"type":"object","properties":{"plans":{"type":"array","items":R("Plan")}}}), **errors("401","403","503")})},
 "/v1/plans/{name}": {
    "put": op("Create or update a plan","administration",ADM, {"200": resp("The plan", R("Plan")), **errors("400","401","403","413","415","422","503")}, [NAME], body(R("PlanRequest"))),
    "get": op("A plan","administration",RD, {"200": resp("The plan", R("Plan")), **errors("401","403","404","422","503")}, [NAME])},
 "/v1/subjects/{id}": {
    "put": op("Create or update a subject (a new plan applies at once; usage carries over)","administration",ADM, {"200": resp("The subject", R("Subject")), **errors("400","401","403","404","413","415","422","503")}, [ID], body(R("SubjectRequest")),
      "Fields left out keep their current value; for a new subject, plan defaults to the default plan, billingAnchor to now, metadata to {}."),
    "get": op("A subject","administration",RD, {"200": resp("The subject", R("Subject")), **errors("401","403","404","422","503")}, [ID])},
 "/v1/subjects/{id}/grants": {
    "post": op("Grant bonus units","administration",ADM, {"201": resp("The grant", R("Grant")), **errors("400","401","403","404","413","415","422","503")}, [ID], body(R("GrantRequest"))),
    "get": op("A subject's grants, newest first","administration",RD, {"200": resp("Grants", {"type":"object","properties":{"grants":{"type":"array","items":R("Grant")}}}), **errors("401","403","422","503")}, [ID])},
 "/v1/subjects/{id}/reset": {"post": op("Reset the current window of one metric, or of every metric","administration",ADM,
    {"200": resp("The reset's event", {"type":"object","properties":{"eventId":{"type":"string"}}}), **errors("400","401","403","404","413","415","422","503")}, [ID],
    body({"type":"object","additionalProperties":False,"properties":{"metric":{"type":"string"}}}, False))},
 "/v1/subjects/{id}/tokens": {"post": op("Issue a subject token: reads this subject's usage and nothing else","administration",ADM,
    {"201": resp("The token", R("Token")), **errors("400","401","403","413","415","422","503")}, [ID],
    body({"type":"object","additionalProperties":False,"properties":{"ttlSeconds":{"type":"integer","minimum":1,"maximum":86400,"default":900}}}, False))},
 "/v1/events": {"get": op("A page of the audit trail, oldest first","administration",RD,
    {"200": resp("Events", R("EventPage")), **errors("401","403","422","503")},
    [{"name":"subject","in":"query","schema":{"type":"string"}},
     {"name":"type","in":"query","schema":{"type":"string","enum":["consume","refund","reserve","commit","release","expire","grant","reset","subject_change","plan_change"]}},
     {"name":"after","in":"query","schema":{"type":"string"},"description":"the previous page's nextCursor"},
     {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":100}}])},
 "/v1/keys": {
    "post": op("Create an API key (the key is shown once; only its hash is stored)","administration",ADM, {"201": resp("The key", R("IssuedKey")), **errors("400","401","403","413","415","422","503")}, None, body(R("KeyRequest"))),
    "get": op("Every API key (without the keys)","administration",ADM, {"200": resp("Keys", {"type":"object","properties":{"keys":{"type":"array","items":R("Key")}}}), **errors("401","403","503")})},
 "/v1/keys/{id}": {"delete": op("Revoke an API key; it stops working at once","administration",ADM, {"200": resp("The revoked key", R("Key")), **errors("401","403","404","409","422","503")}, [ID])},
 "/v1/openapi.json": {"get": op("This document","operations",None, {"200": resp("OpenAPI 3.1", {"type":"object"})})},
 "/health/live": {"get": op("The process is up","operations",None, {"200": resp("Up", {"type":"object"})})},
 "/health/ready": {"get": op("The database answers and the server takes requests","operations",None, {"200": resp("Ready", R("Health")), "503": resp("Not ready", R("Health"))})},
 "/metrics": {"get": op("Prometheus metrics","operations",None, {"200": resp("Text exposition", {"type":"string"}, "text/plain")})},
}
S = lambda props, req=(), extra=None: {"type":"object","additionalProperties":False if extra is None else extra,"required":list(req),"properties":props}
AMOUNT = {"type":"integer","minimum":1,"maximum":9007199254740992}
METRIC = {"type":"string","pattern":"^[a-z0-9_.-]{1,64}$"}
SUBJ = {"type":"string","minLength":1,"maxLength":255}
META = {"type":"object","maxProperties":50,"additionalProperties":{"type":["string","number","boolean"]},"description":"flat pairs; numbers and booleans are kept as strings"}
NL = lambda t: {"type":[t,"null"]}
ITEMD = S({"metric":METRIC,"amount":{"type":"integer"},"limit":NL("integer"),"used":{"type":"integer"},"held":{"type":"integer"},"remaining":NL("integer"),"bonusRemaining":{"type":"integer"},"windowStart":{"type":"string","format":"date-time"},"resetsAt":{"type":["string","null"],"format":"date-time"},"fromPlan":{"type":"integer"},"fromBonus":{"type":"integer"},"overage":{"type":"integer"},"reason":NL("string")})
DEC = {"allowed":{"type":"boolean"},"reason":{"type":["string","null"],"enum":[None,"quota_exceeded","rate_limited","metric_not_in_plan","unknown_subject"]},"eventId":NL("string"),"items":{"type":"array","items":ITEMD}}
CONSUME = {"subject":SUBJ,"metric":METRIC,"amount":AMOUNT,"items":{"type":"array","minItems":1,"maxItems":32,"items":S({"metric":METRIC,"amount":AMOUNT},["metric","amount"])},"metadata":META}
LIMIT = S({"limit":{"type":["integer","null"],"minimum":0},"period":{"type":"string","enum":["month","billing_month","day","hour","total"]},"enforcement":{"type":"string","enum":["hard","soft"],"default":"hard"},"overagePrice":{"type":["object","null"],"properties":{"amount":{"type":"string"},"currency":{"type":"string"}},"required":["amount","currency"]},"rate":{"type":["object","null"],"properties":{"perSecond":{"type":"integer","minimum":1},"burst":{"type":"integer","minimum":1}},"required":["perSecond","burst"]}},["limit","period"])
KEY = {"id":{"type":"string"},"name":{"type":"string"},"role":{"type":"string","enum":["admin","service","read"]},"prefix":{"type":"string"},"createdAt":{"type":"string","format":"date-time"},"revokedAt":{"type":["string","null"],"format":"date-time"}}
schemas = {
 "Problem": S({"type":{"type":"string","format":"uri","description":"stable: urn:quotient:problem:<name>"},"title":{"type":"string"},"status":{"type":"integer"},"detail":{"type":"string"},"field":{"type":"string","description":"the offending field, e.g. items[0].amount"}},["type","title","status","detail"], True),
 "ConsumeRequest": {**S(CONSUME,["subject"]), "description":"metric and amount, or items (not both)"},
 "Decision": S(DEC,["allowed","reason","eventId","items"]),
 "BatchRequest": S({"requests":{"type":"array","minItems":1,"items":{**S({**CONSUME,"idempotencyKey":SUBJ},["subject"])}}},["requests"]),
 "BatchResponse": S({"results":{"type":"array","items":{"oneOf":[S({**DEC,"replayed":{"type":"boolean"}}), S({"error":R("Problem")})]}}}),
 "RefundRequest": {**S({"eventId":{"type":["string","integer"]},"subject":SUBJ,"idempotencyKey":SUBJ,"amount":AMOUNT}), "description":"eventId, or subject and idempotencyKey; amount defaults to everything left"},
 "Refund": S({"eventId":{"type":"string"},"consumeEventId":{"type":"string"},"subject":SUBJ,"items":{"type":"array","items":S({"metric":METRIC,"amount":{"type":"integer"},"used":{"type":"integer"}})}}),
 "ReserveRequest": S({**CONSUME,"ttlSeconds":{"type":"integer","minimum":1,"maximum":86400}},["subject","ttlSeconds"]),
 "Reservation": S({**DEC,"reservationId":NL("string"),"expiresAt":{"type":["string","null"],"format":"date-time"}}),
 "CommitRequest": S({"amounts":{"type":"object","additionalProperties":{"type":"integer","minimum":0},"description":"actual amount per metric, each at most what is held"}}),
 "Settled": S({"reservationId":{"type":"string"},"state":{"type":"string","enum":["committed","released"]},"eventId":{"type":"string"},"items":{"type":"array","items":S({"metric":METRIC,"held":{"type":"integer"},"committed":{"type":"integer"}})}}),
 "Usage": S({"subject":SUBJ,"plan":{"type":"string"},"metrics":{"type":"array","items":S({"metric":METRIC,"limit":NL("integer"),"period":{"type":"string"},"enforcement":{"type":"string"},"used":{"type":"integer"},"held":{"type":"integer"},"remaining":NL("integer"),"bonusRemaining":{"type":"integer"},"overage":{"type":"integer"},"windowStart":{"type":"string","format":"date-time"},"resetsAt":{"type":["string","null"],"format":"date-time"},"percentUsed":NL("number")})}}),
 "PlanRequest": S({"limits":{"type":"object","additionalProperties":LIMIT}},["limits"]),
 "Plan": S({"name":{"type":"string"},"limits":{"type":"object","additionalProperties":LIMIT}}),
 "SubjectRequest": S({"plan":{"type":"string"},"billingAnchor":{"type":"string","format":"date-time"},"metadata":META}),
 "Subject": S({"id":SUBJ,"plan":{"type":"string"},"billingAnchor":{"type":"string","format":"date-time"},"metadata":{"type":"object","additionalProperties":{"type":"string"}}}),
 "GrantRequest": S({"metric":METRIC,"amount":AMOUNT,"expiresAt":{"type":"string","format":"date-time"},"reason":{"type":"string","maxLength":500}},["metric","amount"]),
 "Grant": S({"id":{"type":"string"},"subject":SUBJ,"metric":METRIC,"amount":{"type":"integer"},"used":{"type":"integer"},"remaining":{"type":"integer"},"expiresAt":{"type":["string","null"],"format":"date-time"},"reason":NL("string"),"createdAt":{"type":"string","format":"date-time"}}),
 "Token": S({"token":{"type":"string"},"subject":SUBJ,"expiresAt":{"type":"string","format":"date-time"}}),
 "EventPage": S({"events":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"at":{"type":"string","format":"date-time"},"type":{"type":"string"},"subject":NL("string"),"allowed":NL("boolean"),"reason":NL("string"),"scope":{"type":"string"},"idempotencyKey":NL("string"),"relatedEventId":NL("string"),"reservationId":NL("string"),"items":{"type":"array"},"metadata":{"type":"object"},"detail":{"type":"object"}}}},"nextCursor":NL("string")}),
 "KeyRequest": S({"name":{"type":"string","maxLength":100},"role":{"type":"string","enum":["admin","service","read"]}},["name","role"]),
 "Key": S(KEY),
 "IssuedKey": S({**KEY,"key":{"type":"string","description":"shown once"}}),
 "Health": S({"status":{"type":"string"},"database":{"type":"string"},"accepting":{"type":"boolean"}}),
}
doc = {"openapi":"3.1.0",
 "info":{"title":"Quotient","version":"1","description":"Usage quotas over HTTP. Credentials: Authorization: Bearer <api key> (roles admin, service, read) or a subject token. Errors are RFC 9457 problems with a stable type (urn:quotient:problem:<name>) and the offending field."},
 "tags":[{"name":"enforcement"},{"name":"administration"},{"name":"operations"}],
 "paths": paths,
 "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer","description":"an API key (qk_…); the scopes listed per operation are the roles allowed"},"subjectToken":{"type":"http","scheme":"bearer","description":"a subject token (qst_…) from POST /v1/subjects/{id}/tokens"}},"schemas":schemas}}
json.dump(doc, open(__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)), "../main/resources/io/quotient/server/api/openapi.json"),"w"), indent=1)
