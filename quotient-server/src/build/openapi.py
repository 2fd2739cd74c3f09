# Writes src/main/resources/io/quotient/server/api/openapi.json (run from anywhere: python3 openapi.py).
# The JSON is the source the server serves and OpenApiContractTest checks real answers against; this
# script only saves typing. OpenAPI 3.0.3 (with `nullable`), the version the contract test's validator
# (com.atlassian.oai:swagger-request-validator-core) implements. Answers list every member in
# `required` (a member that can be null is `nullable`, never left out); request bodies list only what
# must be given.
import json, os
R = lambda name: {"$ref": "#/components/schemas/" + name}
PROBLEM_TYPES = {  # slug: status, as io.quotient.api.ProblemType
 "malformed-json":400, "bad-request":400, "unauthorized":401, "forbidden":403, "not-found":404,
 "method-not-allowed":405, "idempotency-key-in-flight":409, "reservation-closed":409, "not-refundable":409,
 "last-admin-key":409, "plan-in-use":409, "insufficient-units":409, "body-too-large":413, "batch-too-large":413, "unsupported-media-type":415,
 "invalid-field":422, "unknown-field":422, "idempotency-key-mismatch":422, "storage-unavailable":503,
 "shutting-down":503, "internal-error":500}
URN = "urn:quotient:problem:"
EVENT_TYPES = ["consume","refund","reserve","commit","release","expire","grant","reset","subject_change","plan_change","subject_delete","plan_delete","transfer","override","alert.triggered","alert.resolved","abuse.detected","spike.detected","webhook.disabled"]
def resp(desc, schema=None, ctype="application/json"):
    r = {"description": desc}
    if schema: r["content"] = {ctype: {"schema": schema}}
    return r
# What every route can answer: the server stopping, the database failing, a bug, a malformed URI.
ALWAYS = ["bad-request", "shutting-down", "storage-unavailable", "internal-error"]
AUTH = ["unauthorized", "forbidden"]
BODY = ["malformed-json", "body-too-large", "unsupported-media-type", "invalid-field", "unknown-field"]
def problems(*slugs):
    """The problem answers of an operation: per status, the problem types it can answer with."""
    by_status = {}
    for slug in list(slugs) + ALWAYS:
        by_status.setdefault(str(PROBLEM_TYPES[slug]), [])
        if slug not in by_status[str(PROBLEM_TYPES[slug])]:
            by_status[str(PROBLEM_TYPES[slug])].append(slug)
    out = {}
    for status in sorted(by_status):
        types = by_status[status]
        schema = {"allOf": [R("Problem"), {"type": "object", "additionalProperties": True, "properties": {"type": {"type": "string", "enum": [URN + t for t in types]}}}]}
        out[status] = {"description": "A problem: " + ", ".join(types), "content": {"application/problem+json": {"schema": schema}}}
    return out
def body(schema, required=True):
    return {"required": required, "content": {"application/json": {"schema": schema}}}
ID = {"name":"id","in":"path","required":True,"schema":{"type":"string","maxLength":255}}
NAME = {"name":"name","in":"path","required":True,"schema":{"type":"string","pattern":"^[a-z0-9_.-]{1,64}$"}}
IDEM = {"name":"Idempotency-Key","in":"header","required":False,"schema":{"type":"string","maxLength":255},"description":"Scoped to the subject, not to the credential: a retry with the same key for the same subject, through any API key, replays the first answer (header Idempotent-Replayed: true). Same key, other parameters: 422. Same key while the first is undecided: 409. X-Idempotency-Key (the seeds' name) is read when Idempotency-Key is absent. After a 503 storage-unavailable the outcome is unknown: retry with the same key."}
REFUND_IDEM = {"name":"Idempotency-Key","in":"header","required":False,"schema":{"type":"string","maxLength":255},"description":"This refund's own key (the body's idempotencyKey names the consume to refund). A retry with the same key replays the first refund (header Idempotent-Replayed: true) and gives nothing back again. Same key, other parameters (or a key a consume of the subject used): 422. Same key while the first is undecided: 409. Scoped to the consume's subject. A 409 not-refundable stores nothing: a retry is decided again."}
TRANSFER_IDEM = {"name":"Idempotency-Key","in":"header","required":False,"schema":{"type":"string","maxLength":255},"description":"Scoped to from: a retry with the same key replays the first transfer (header Idempotent-Replayed: true) and moves nothing more. Same key, other parameters: 422. A refusal stores nothing."}
PERIOD = {"name":"period","in":"query","required":True,"schema":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$"},"description":"a calendar month, YYYY-MM (UTC)"}
REPLAYED = {"Idempotent-Replayed":{"description":"true when this is the stored answer to an earlier request with the same key","schema":{"type":"string","enum":["true"]}}}
ENF = [{"bearer":["service","admin"]}]
ADM = [{"bearer":["admin"]}]
RD = [{"bearer":["admin","read"]}]
SESS = [{"sessionCookie":[]},{"bearer":["admin","read"]}]
USG = [{"bearer":["admin","service","read"]},{"subjectToken":[]}]
def op(op_id, summary, tag, security, responses, params=None, req=None, desc=None):
    o = {"operationId": op_id, "summary": summary, "tags": [tag], "responses": responses}
    if desc: o["description"] = desc
    o["security"] = security if security is not None else []
    if params: o["parameters"] = params
    if req: o["requestBody"] = req
    return o
def ok(status, desc, schema, headers=None):
    r = resp(desc, schema)
    if headers: r["headers"] = headers
    return {status: r}
paths = {
 "/v1/consume": {"post": op("consume", "Consume every item or none","enforcement",ENF,
    {**ok("200", "The decision (a denial is an answer, not an error)", R("Decision"), REPLAYED),
     **problems(*AUTH, *BODY, "not-found", "idempotency-key-in-flight", "idempotency-key-mismatch")},
    [IDEM], body(R("ConsumeRequest")))},
 "/v1/check": {"post": op("check", "The decision a consume would get; nothing is consumed","enforcement",ENF,
    {**ok("200", "The decision (eventId is null: nothing is recorded)", R("Decision")), **problems(*AUTH, *BODY, "not-found")},
    None, body(R("ConsumeRequest")))},
 "/v1/consume/batch": {"post": op("consumeBatch", "Several consumes, each decided on its own","enforcement",ENF,
    {**ok("200", "One result per request, in order", R("BatchResponse")), **problems(*AUTH, *BODY, "batch-too-large", "not-found")},
    None, body(R("BatchRequest")))},
 "/v1/refunds": {"post": op("refund", "Give back all or part of an earlier granted consume","enforcement",ENF,
    {**ok("200", "Units given back", R("Refund"), REPLAYED),
     **problems(*AUTH, *BODY, "not-found", "not-refundable", "idempotency-key-in-flight", "idempotency-key-mismatch")},
    [REFUND_IDEM], body(R("RefundRequest")))},
 "/v1/transfers": {"post": op("transfer", "Move units of one metric from one subject to another at once","enforcement",ENF,
    {**ok("200", "The units moved", R("Transfer"), REPLAYED),
     **problems(*AUTH, *BODY, "not-found", "insufficient-units", "idempotency-key-mismatch")},
    [TRANSFER_IDEM], body(R("TransferRequest")),
    "The units leave from's remaining allowance of its current window, then its grants (never overage), and arrive on to as a grant expiring when from's window ends (no expiry for a total limit). Refused with 409 insufficient-units when from has fewer; nothing moves. The metric must be in both subjects' plans; an unknown to is created on the default plan. Both sides are recorded as transfer events (detail.direction out and in).")},
 "/v1/reservations": {"post": op("reserve", "Hold units for a long operation","enforcement",ENF,
    {**ok("200", "The decision; reservationId and expiresAt when granted", R("ReserveDecision"), REPLAYED),
     **problems(*AUTH, *BODY, "not-found", "idempotency-key-in-flight", "idempotency-key-mismatch")},
    [IDEM], body(R("ReserveRequest")))},
 "/v1/reservations/{id}": {"get": op("getReservation", "A reservation as it stands","enforcement",ENF,
    {**ok("200", "The reservation", R("Reservation")), **problems(*AUTH, "invalid-field", "not-found")}, [ID])},
 "/v1/reservations/{id}/commit": {"post": op("commitReservation", "Commit a reservation with the actual amounts (the rest returns)","enforcement",ENF,
    {**ok("200", "Committed", R("Settlement")), **problems(*AUTH, *BODY, "not-found", "reservation-closed")}, [ID], body(R("CommitRequest"), False),
    "Spoken like a consume: {\"metric\",\"amount\"}, or {\"items\":[{\"metric\",\"amount\"}]}, or (the older form) {\"amounts\":{metric: amount}}. No body (or {}) commits everything held. A held metric left out commits 0; each amount is at most what is held. An expired reservation answers 409 reservation-closed with state expired.")},
 "/v1/reservations/{id}/release": {"post": op("releaseReservation", "Release a reservation: everything it holds returns","enforcement",ENF,
    {**ok("200", "Released", R("Settlement")), **problems(*AUTH, *BODY, "not-found", "reservation-closed")}, [ID],
    body({"type":"object","additionalProperties":False,"properties":{}}, False))},
 "/v1/subjects/{id}/usage": {"get": op("getUsage", "A subject's plan and usage per metric","enforcement",[{"bearer":["admin","service","read"]},{"subjectToken":[]}],
    {**ok("200", "Usage", R("Usage")), **problems(*AUTH, "invalid-field", "not-found")}, [ID],
    desc="Also open to a subject token for its own subject.")},
 "/v1/subjects/{id}/analytics": {"get": op("getSubjectAnalytics", "A subject's daily series per metric, with its 7-day average, trend and forecast","analytics",USG,
    {**ok("200", "Analytics", R("SubjectAnalytics")), **problems(*AUTH, "invalid-field", "unknown-field", "not-found")},
    [ID, {"name":"days","in":"query","schema":{"type":"integer","minimum":1,"maximum":90,"default":30}}],
    desc="Read from daily rollups kept from the feed. The average covers the last 7 complete UTC days (fewer with a shorter history); the trend compares it with the average of the 7 complete days before (more than 10% higher: increasing; lower: decreasing; else, or with no earlier day, stable); the projection is the usage now plus the average times the days left in the window (total limits: 30 days). Also open to a subject token for its own subject.")},
 "/v1/subjects/{id}/recommendation": {"get": op("getRecommendation", "The cheapest plan that holds the subject's projected usage with 20% headroom, or stay","analytics",USG,
    {**ok("200", "Recommendation", R("Recommendation")), **problems(*AUTH, "invalid-field", "unknown-field", "not-found")}, [ID],
    desc="Plans are compared by monthly price (a yearly price / 12), then name, within the current plan's currency. Also open to a subject token for its own subject.")},
 "/v1/analytics/near-limit": {"get": op("listNearLimit", "Subjects at or past a share of a limit in their current window, highest first","analytics",RD,
    {**ok("200", "A page", R("NearLimitPage")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"min","in":"query","schema":{"type":"integer","minimum":0,"maximum":1000,"default":80}},
     {"name":"offset","in":"query","schema":{"type":"integer","minimum":0,"maximum":100000,"default":0}},
     {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":100}}])},
 "/v1/analytics/denials": {"get": op("getDenialRates", "Decisions, denials and the denial rate per UTC hour","analytics",RD,
    {**ok("200", "Hours", R("DenialRates")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"hours","in":"query","schema":{"type":"integer","minimum":1,"maximum":168,"default":24}}])},
 "/v1/analytics/distribution": {"get": op("getDistribution", "How many subjects use each 10% band of a metric's limit","analytics",RD,
    {**ok("200", "Bands", R("UsageDistribution")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"metric","in":"query","required":True,"schema":{"type":"string","pattern":"^[a-z0-9_.-]{1,64}$"}}])},
 "/v1/analytics/top": {"get": op("getTopConsumers", "The subjects using the most of a metric in their current window","analytics",RD,
    {**ok("200", "Top consumers", R("TopConsumers")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"metric","in":"query","required":True,"schema":{"type":"string","pattern":"^[a-z0-9_.-]{1,64}$"}},
     {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":10}}])},
 "/v1/plans": {"get": op("listPlans", "Every plan","administration",RD, {**ok("200", "Plans", R("Plans")), **problems(*AUTH)})},
 "/v1/plans/{name}": {
    "put": op("putPlan", "Create or update a plan","administration",ADM, {**ok("200", "The plan", R("Plan")), **problems(*AUTH, *BODY)}, [NAME], body(R("PlanRequest"))),
    "get": op("getPlan", "A plan","administration",RD, {**ok("200", "The plan", R("Plan")), **problems(*AUTH, "invalid-field", "not-found")}, [NAME]),
    "delete": op("deletePlan", "Delete a plan (refused while subjects are on it, or for the default plan)","administration",ADM,
      {"204": resp("Deleted"), **problems(*AUTH, "invalid-field", "not-found", "plan-in-use")}, [NAME])},
 "/v1/subjects": {"get": op("listSubjects", "A page of subjects in id order, filtered","administration",RD,
    {**ok("200", "Subjects", R("SubjectPage")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"plan","in":"query","schema":{"type":"string"},"description":"only subjects on this plan"},
     {"name":"metadata","in":"query","schema":{"type":"string"},"description":"key=value: only subjects whose metadata has this pair"},
     {"name":"atShare","in":"query","schema":{"type":"number","minimum":0},"description":"only subjects at or past this share (0.8 = 80%) of any limit in the current window, held units included"},
     {"name":"createdSince","in":"query","schema":{"type":"string","format":"date-time"},"description":"only subjects created at or after this instant"},
     {"name":"after","in":"query","schema":{"type":"string"},"description":"a page's nextCursor"},
     {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":100}}],
    None, "With atShare a page looks at no more than ten times limit subjects, so it may be short (even empty) and still carry a nextCursor: follow it until it is null.")},
 "/v1/subjects/{id}": {
    "put": op("putSubject", "Create or update a subject (a new plan applies at once; usage carries over)","administration",ADM,
      {**ok("200", "The subject", R("Subject")), **problems(*AUTH, *BODY, "not-found")}, [ID], body(R("SubjectRequest")),
      "Fields left out keep their current value; for a new subject, plan defaults to the default plan, billingAnchor to now, metadata to {}. An unknown plan answers 404. overrides replaces the subject's own limits (each metric must be in its plan; an expiry must be in the future): they win over the plan's from the next request until removed or expired, show in usage answers as limitSource override, and each change is an override event."),
    "get": op("getSubject", "A subject","administration",RD, {**ok("200", "The subject", R("Subject")), **problems(*AUTH, "invalid-field", "not-found")}, [ID]),
    "delete": op("deleteSubject", "Delete a subject with its counters, grants and reservations; its events stay in the audit trail","administration",ADM,
      {"204": resp("Deleted"), **problems(*AUTH, "invalid-field", "not-found")}, [ID])},
 "/v1/subjects/{id}/grants": {
    "post": op("grant", "Grant bonus units","administration",ADM, {**ok("201", "The grant", R("Grant")), **problems(*AUTH, *BODY, "not-found")}, [ID], body(R("GrantRequest"))),
    "get": op("listGrants", "A subject's grants, newest first","administration",RD, {**ok("200", "Grants", R("Grants")), **problems(*AUTH, "invalid-field", "not-found")}, [ID])},
 "/v1/subjects/{id}/reset": {"post": op("reset", "Reset the current window of one metric, or of every metric","administration",ADM,
    {**ok("200", "The reset's event", R("Reset")), **problems(*AUTH, *BODY, "not-found")}, [ID], body(R("ResetRequest"), False))},
 "/v1/subjects/{id}/tokens": {"post": op("issueToken", "Issue a subject token: reads this subject's usage and nothing else","administration",ADM,
    {**ok("201", "The token", R("Token")), **problems(*AUTH, *BODY)}, [ID], body(R("TokenRequest"), False))},
 "/v1/events": {"get": op("listEvents", "A page of the feed: committed events in feed order, after a cursor","administration",RD,
    {**ok("200", "Events", R("EventPage")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"subject","in":"query","schema":{"type":"string"}},
     {"name":"type","in":"query","schema":{"type":"string","enum":EVENT_TYPES}},
     {"name":"after","in":"query","schema":{"type":"string"},"description":"where to start: a page's nextCursor or an event's cursor (opaque strings); absent for the beginning of the feed"},
     {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":100}}],
    None, "The feed orders every committed event once and for all. Follow it by asking again with the answer's nextCursor: every committed event comes exactly once, whatever the number of writers and server instances. An event appears once every transaction that began before its own has ended (normally milliseconds after its commit).")},
 "/v1/reports/overage": {"get": op("overageReport", "A month's overage per subject and metric, priced, with totals per currency","administration",RD,
    {**ok("200", "The report", R("OverageReport")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [PERIOD], None, "A window belongs to the calendar month (UTC) its start falls in. Units past soft limits are priced with the subject's plan's overagePrice as it is now; amounts are decimal strings, units × price rounded half-up to the currency's minor unit (ISO 4217: 2 digits for EUR and USD, 0 for JPY, 3 for BHD); totals per currency are the sums of the rounded lines. A line is final once every window it counts has ended, provisional before. Lines without a price have null unitPrice, currency and amount and count in no total.")},
 "/v1/exports/usage": {"get": op("exportUsage", "Every subject × metric × window of a month that counted usage, streamed","administration",RD,
    {"200": {"description": "The rows, streamed (never held in memory): JSON, or RFC 4180 CSV with a header line and CRLF line ends",
       "content": {"application/json": {"schema": R("UsageExport")}, "text/csv": {"schema": {"type":"string"}}}},
     **problems(*AUTH, "invalid-field", "unknown-field")},
    [PERIOD, {"name":"format","in":"query","schema":{"type":"string","enum":["json","csv"],"default":"json"}}], None,
    "A window belongs to the calendar month (UTC) its start falls in; rows come by subject, metric, window start. Plan and limit are the subject's as they are now. CSV columns: " + "subject,plan,metric,windowStart,windowEnd,limit,used,fromPlan,fromBonus,overage" + " (empty for null). A failure after the answer began cuts it short: a CSV then lacks its final CRLF, a JSON document its closing brackets.")},
 "/v1/signal-rules": {
    "get": op("getSignalRules", "The abuse and anomaly signals' rules in force","monitoring",RD, {**ok("200", "The rules", R("SignalRules")), **problems(*AUTH)}),
    "put": op("putSignalRules", "Replace the signals' rules (a group or field left out takes its default)","monitoring",ADM,
      {**ok("200", "The rules now in force", R("SignalRules")), **problems(*AUTH, *BODY)}, None, body(R("SignalRulesRequest")))},
 "/v1/subjects/{id}/risk": {"get": op("getRisk", "A subject's risk score, band and the signals that make it, with their evidence","monitoring",RD,
    {**ok("200", "The risk (score 0, band none, no signals for a subject with no recent signal)", R("Risk")), **problems(*AUTH, "invalid-field", "not-found")}, [ID])},
 "/v1/risk": {"get": op("listRisks", "The riskiest subjects, riskiest first","monitoring",RD,
    {**ok("200", "Subjects at or above min", R("Risks")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"min","in":"query","schema":{"type":"integer","minimum":0,"maximum":100,"default":1},"description":"the lowest score listed (a subject with score 0 is never listed)"},
     {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":100}}])},
 "/v1/alert-rules": {"get": op("listAlertRules", "Every threshold rule, and the default thresholds","monitoring",RD,
    {**ok("200", "Rules", R("AlertRules")), **problems(*AUTH)})},
 "/v1/alert-rules/{name}": {
    "put": op("putAlertRule", "Create or replace a threshold rule for a plan and metric (either absent: any)","monitoring",ADM,
      {**ok("200", "The rule", R("AlertRule")), **problems(*AUTH, *BODY)}, [NAME], body(R("AlertRuleRequest")),
      "The most specific rule applies: plan and metric, then plan, then metric, then neither; without one, 80 (warning), 95 (critical), 100 (exceeded). A threshold from 100 is exceeded, from 90 critical, else warning. Two rules for the same plan and metric are refused (422, field plan)."),
    "get": op("getAlertRule", "A threshold rule","monitoring",RD, {**ok("200", "The rule", R("AlertRule")), **problems(*AUTH, "invalid-field", "not-found")}, [NAME]),
    "delete": op("deleteAlertRule", "Delete a threshold rule","monitoring",ADM, {"204": resp("Deleted"), **problems(*AUTH, "invalid-field", "not-found")}, [NAME])},
 "/v1/alerts": {"get": op("listAlerts", "Threshold alerts, newest first","monitoring",RD,
    {**ok("200", "Alerts", R("Alerts")), **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"state","in":"query","schema":{"type":"string","enum":["firing","resolved"]}},
     {"name":"subject","in":"query","schema":{"type":"string"}},
     {"name":"metric","in":"query","schema":{"type":"string"}},
     {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":100}}])},
 "/v1/stream": {"get": op("stream", "The live feed as Server-Sent Events","monitoring",[{"bearer":["admin","read"]},{"subjectToken":[]}],
    {"200": resp("An endless text/event-stream. Each message: id: <feed cursor>, event: <type>, data: {\"id\",\"type\",\"timestamp\",\"data\"} (the webhook body). A comment line (: keep-alive) every 15 s. A client that falls behind gets a last message, event: stream.overflow, data {\"reason\",\"resumeAfter\"}, and the stream ends: reconnect with Last-Event-ID (or after=) set to resumeAfter.", {"type":"string"}, "text/event-stream"),
     **problems(*AUTH, "invalid-field", "unknown-field")},
    [{"name":"subject","in":"query","schema":{"type":"string"},"description":"one subject's messages (a subject token sees only its own subject's, whatever this says)"},
     {"name":"types","in":"query","schema":{"type":"string"},"description":"comma-separated message types, e.g. alert.triggered,alert.resolved; absent for all"},
     {"name":"after","in":"query","schema":{"type":"string"},"description":"a cursor (an SSE id) to resume after; Last-Event-ID wins when both are sent; absent: from now on"},
     {"name":"Last-Event-ID","in":"header","required":False,"schema":{"type":"string"},"description":"sent by EventSource when it reconnects: the last id it got"}],
    None, "Any instance serves every subject's messages: the stream follows the shared feed. Reconnecting with the last id received gives everything after it, with no gap and no repeat.")},
 "/v1/keys": {
    "post": op("createKey", "Create an API key (the key is shown once; only its hash is stored)","administration",ADM, {**ok("201", "The key", R("IssuedKey")), **problems(*AUTH, *BODY)}, None, body(R("KeyRequest"))),
    "get": op("listKeys", "Every API key (without the keys)","administration",ADM, {**ok("200", "Keys", R("Keys")), **problems(*AUTH)})},
 "/v1/keys/{id}": {"delete": op("revokeKey", "Revoke an API key; it stops working at once","administration",ADM, {**ok("200", "The revoked key", R("Key")), **problems(*AUTH, "invalid-field", "not-found", "last-admin-key")}, [ID])},
 "/v1/session": {
    "post": op("openSession", "Sign in to the dashboard: exchange an admin or read key for a session cookie","administration",None,
      {**ok("201", "The session; Set-Cookie quotient_session (HttpOnly, SameSite=Strict, Path=/, Secure over TLS)", R("Session"),
            {"Set-Cookie":{"description":"the session cookie","schema":{"type":"string"}}}),
       **problems(*AUTH, *BODY)}, None, body(R("SessionRequest")),
      "The key in the body is the credential. A service key is refused (403): the dashboard reads and administers. Every other route then accepts the cookie instead of Authorization, with the key's role; a write made with the cookie (any method but GET, HEAD, OPTIONS) must carry the session's csrfToken in X-CSRF-Token, or is refused with 403 forbidden. The session ends after 8 hours, at sign-out, or when its key is revoked."),
    "get": op("getSession", "The session the cookie stands for, with its CSRF token (for a page that reloads)","administration",SESS,
      {**ok("200", "The session", R("Session")), **problems(*AUTH, "not-found")}, None, None,
      "404 when the request came with an API key instead of the cookie."),
    "delete": op("closeSession", "Sign out: the session ends and the cookie is cleared","administration",SESS,
      {"204": resp("Signed out; Set-Cookie clears the cookie"), **problems(*AUTH, "not-found")}, None, None,
      "Needs X-CSRF-Token like any write made with the cookie.")},
 "/v1/openapi.json": {"get": op("getOpenApi", "This document","operations",None, {**ok("200", "OpenAPI 3.0", {"type":"object"}), **problems()})},
 "/health/live": {"get": op("getLiveness", "The process is up","operations",None, {**ok("200", "Up", R("Health")), **problems()})},
 "/health/ready": {"get": op("getReadiness", "The database answers and the server takes requests","operations",None, {**ok("200", "Ready", R("Health")), **problems()})},
 "/metrics": {"get": op("getMetrics", "Prometheus metrics","operations",None, {"200": resp("Text exposition", {"type":"string"}, "text/plain"), **problems()})},
}
# /health/ready answers 503 with its Health body when the database is down or the server stops taking
# requests; a request that arrives after the stop began gets the shutting-down problem instead.
paths["/health/ready"]["get"]["responses"]["503"]["content"]["application/json"] = {"schema": R("Health")}
paths["/health/ready"]["get"]["responses"]["503"]["description"] = "Not ready (Health), or a problem: " + ", ".join(["shutting-down","storage-unavailable"])

def S(props, req=(), extra=False, answer=False):
    """An object schema. An answer requires every member; a request only those named."""
    return {"type":"object","additionalProperties":extra,"required":list(props) if answer else list(req),"properties":props}
A = lambda props: S(props, answer=True)
NL = lambda t, **kw: {"type": t, "nullable": True, **kw}
INT = {"type":"integer","format":"int64"}
AMOUNT = {"type":"integer","format":"int64","minimum":1,"maximum":9007199254740992}
METRIC = {"type":"string","pattern":"^[a-z0-9_.-]{1,64}$"}
SUBJ = {"type":"string","minLength":1,"maxLength":255}
TIME = {"type":"string","format":"date-time"}
NTIME = NL("string", format="date-time")
DATE = {"type":"string","format":"date"}
META = {"type":"object","maxProperties":50,"additionalProperties":{"oneOf":[{"type":"string"},{"type":"number"},{"type":"boolean"}]},"description":"flat pairs; numbers and booleans are kept as strings"}
STRMAP = {"type":"object","additionalProperties":{"type":"string"}}
COUNT = {"type":"integer","minimum":2,"maximum":10000}
REASONS = ["quota_exceeded","rate_limited","metric_not_in_plan","unknown_subject","counter_overflow"]
ITEM = S({"metric":METRIC,"amount":AMOUNT},["metric","amount"])
ITEMD = A({"metric":METRIC,"amount":INT,"limit":NL("integer", format="int64", description="null when unlimited or not in the plan"),"used":INT,"held":INT,
   "remaining":NL("integer", format="int64", description="null when unlimited or not in the plan"),"bonusRemaining":INT,
   "windowStart":NL("string", format="date-time", description="null when the metric is not in the plan"),
   "resetsAt":NL("string", format="date-time", description="null for total limits and metrics not in the plan"),
   "fromPlan":INT,"fromBonus":INT,"overage":INT,"reason":NL("string", enum=REASONS + [None])})
DEC = {"allowed":{"type":"boolean"},"reason":NL("string", enum=REASONS + [None], description="null when allowed"),"eventId":NL("string", description="null for a check"),"items":{"type":"array","items":ITEMD}}
CONSUME = {"subject":SUBJ,"metric":METRIC,"amount":AMOUNT,"items":{"type":"array","minItems":1,"maxItems":32,"items":ITEM},"metadata":META}
PRICE = A({"amount":{"type":"string"},"currency":{"type":"string"}})
PLAN_PRICE = A({"amount":{"type":"string","description":"a decimal, 0 or more"},"currency":{"type":"string"},"per":{"type":"string","enum":["month","year"]}})
PLAN_PRICE_REQUEST = S({"amount":{"type":"string"},"currency":{"type":"string"},"per":{"type":"string","enum":["month","year"]}},["amount","currency","per"])
UPGRADE_URL = NL("string", maxLength=2000, description="an absolute http or https URL")
RATE = A({"perSecond":{"type":"integer","minimum":1},"burst":{"type":"integer","minimum":1}})
LIMIT_PROPS = {"limit":NL("integer", format="int64", minimum=0, description="null for unlimited"),"period":{"type":"string","enum":["month","billing_month","day","hour","total","concurrent"]},
  "enforcement":{"type":"string","enum":["hard","soft"],"default":"hard"},"overagePrice":{**PRICE,"nullable":True},"rate":{**RATE,"nullable":True}}
LIMIT_REQUEST = S(LIMIT_PROPS,["limit","period"])
LIMIT_REQUEST["properties"]["enforcement"] = NL("string", enum=["hard","soft",None], default="hard")
LIMIT = A(LIMIT_PROPS)
KEY = {"id":{"type":"string"},"name":{"type":"string"},"role":{"type":"string","enum":["admin","service","read"]},"prefix":{"type":"string"},"createdAt":TIME,"revokedAt":NTIME}
EVENT_ITEM = A({"metric":METRIC,"amount":INT,"limit":NL("integer", format="int64"),"used":NL("integer", format="int64"),"remaining":NL("integer", format="int64"),
  "fromPlan":INT,"fromBonus":INT,"overage":INT,"windowStart":NTIME})
EVENT = A({"id":{"type":"string"},"cursor":{"type":"string","description":"the event's position in the feed; pass it as after to read what follows"},"at":TIME,"type":{"type":"string","enum":EVENT_TYPES},
  "subject":NL("string"),"allowed":NL("boolean"),"reason":NL("string"),"scope":{"type":"string"},"idempotencyKey":NL("string"),
  "relatedEventId":NL("string"),"reservationId":NL("string"),"items":{"type":"array","items":EVENT_ITEM},"metadata":STRMAP,"detail":STRMAP})
PROBLEM = S({"type":{"type":"string","enum":[URN + t for t in PROBLEM_TYPES] + ["about:blank"],"description":"stable: urn:quotient:problem:<name>"},
  "title":{"type":"string"},"status":{"type":"integer"},"detail":{"type":"string"},
  "field":{"type":"string","description":"the offending field by its path, e.g. items[0].amount, a header such as Idempotency-Key, or a query parameter; absent when no one field is at fault"},
  "maxBytes":{"type":"integer","description":"body-too-large: the largest body accepted"},
  "consumeEventId":{"type":"string","description":"not-refundable: the consume"},
  "refundable":{"type":"integer","description":"not-refundable: units left to refund"},
  "state":{"type":"string","enum":["committed","released","expired"],"description":"reservation-closed: how it was settled"}},
  ["type","title","status","detail"], extra=True)
PROBLEM["description"] = "RFC 9457. Members beyond the standard ones belong to one type (listed); a client ignores those it does not know."
schemas = {
 "Problem": PROBLEM,
 "ConsumeRequest": {**S(CONSUME,["subject"]), "description":"metric and amount, or items (not both)"},
 "Decision": A(DEC),
 "BatchRequest": S({"requests":{"type":"array","minItems":1,"items":S({**CONSUME,"idempotencyKey":SUBJ},["subject"])}},["requests"]),
 "BatchResponse": A({"results":{"type":"array","items":{"oneOf":[R("BatchDecision"), R("BatchFailure")]}}}),
 "BatchDecision": A({**DEC,"replayed":{"type":"boolean"}}),
 "BatchFailure": A({"error":R("Problem")}),
 "RefundRequest": {**S({"eventId":{"oneOf":[{"type":"string","pattern":"^[1-9][0-9]{0,18}$"},{"type":"integer","minimum":1}]},"subject":SUBJ,"idempotencyKey":SUBJ,"amount":AMOUNT}), "description":"eventId, or subject and idempotencyKey; amount defaults to everything left"},
 "TransferRequest": S({"from":SUBJ,"to":SUBJ,"metric":METRIC,"amount":AMOUNT},["from","to","metric","amount"]),
 "Transfer": A({"eventId":{"type":"string"},"receivedEventId":{"type":"string"},"from":SUBJ,"to":SUBJ,"metric":METRIC,"amount":INT,"fromPlan":INT,"fromBonus":INT,"grantId":{"type":"string"},"expiresAt":NTIME}),
 "OverageReport": A({"period":{"type":"string"},"generatedAt":TIME,
   "lines":{"type":"array","items":A({"subject":SUBJ,"plan":{"type":"string"},"metric":METRIC,"overageUnits":INT,"unitPrice":NL("string"),"currency":NL("string"),"amount":NL("string"),"status":{"type":"string","enum":["final","provisional"]}})},
   "totals":{"type":"array","items":A({"currency":{"type":"string"},"amount":{"type":"string"},"finalAmount":{"type":"string"},"provisionalAmount":{"type":"string"}})}}),
 "UsageExport": A({"period":{"type":"string"},"rows":{"type":"array","items":A({"subject":SUBJ,"plan":{"type":"string"},"metric":METRIC,"windowStart":TIME,"windowEnd":NTIME,"limit":NL("integer", format="int64"),"used":INT,"fromPlan":INT,"fromBonus":INT,"overage":INT})}}),
 "Refund": A({"eventId":{"type":"string"},"consumeEventId":{"type":"string"},"subject":SUBJ,"items":{"type":"array","items":A({"metric":METRIC,"amount":INT,"used":INT})}}),
 "ReserveRequest": S({**CONSUME,"ttlSeconds":{"type":"integer","minimum":1,"maximum":86400}},["subject","ttlSeconds"]),
 "ReserveDecision": A({**DEC,"reservationId":NL("string", description="null when denied"),"expiresAt":NL("string", format="date-time", description="null when denied")}),
 "CommitRequest": {**S({"metric":METRIC,"amount":{"type":"integer","minimum":0,"maximum":9007199254740992},
     "items":{"type":"array","minItems":1,"items":S({"metric":METRIC,"amount":{"type":"integer","minimum":0,"maximum":9007199254740992}},["metric","amount"])},
     "amounts":{"type":"object","additionalProperties":{"type":"integer","minimum":0},"description":"the older form: actual amount per metric"}}),
   "description":"one of: metric and amount; items; amounts. Empty: everything held."},
 "Settlement": A({"reservationId":{"type":"string"},"state":{"type":"string","enum":["committed","released"]},"eventId":{"type":"string"},"items":{"type":"array","items":A({"metric":METRIC,"held":INT,"committed":INT})}}),
 "Reservation": A({"id":{"type":"string"},"subject":SUBJ,"state":{"type":"string","enum":["held","committed","released","expired"]},"createdAt":TIME,"expiresAt":TIME,"eventId":{"type":"string"},
   "items":{"type":"array","items":A({"metric":METRIC,"held":INT,"windowStart":TIME})}}),
 "Usage": A({"subject":SUBJ,"plan":{"type":"string"},"metrics":{"type":"array","items":A({"metric":METRIC,"limit":NL("integer", format="int64"),"period":{"type":"string"},"enforcement":{"type":"string"},"used":INT,"held":INT,"remaining":NL("integer", format="int64"),"bonusRemaining":INT,"overage":INT,"windowStart":TIME,"resetsAt":NTIME,"percentUsed":NL("number"),"limitSource":{"type":"string","enum":["plan","override"]}})}}),
 "PlanRequest": S({"limits":{"type":"object","additionalProperties":LIMIT_REQUEST},"price":{**PLAN_PRICE_REQUEST,"nullable":True},"upgradeUrl":UPGRADE_URL},["limits"]),
 "Plan": A({"name":{"type":"string"},"limits":{"type":"object","additionalProperties":LIMIT},"price":{**PLAN_PRICE,"nullable":True},"upgradeUrl":{**UPGRADE_URL,"description":"the plan's own upgrade link; null when the deployment's (QUOTIENT_UPGRADE_URL) applies"}}),
 "SubjectAnalytics": A({"subject":SUBJ,"plan":{"type":"string"},"from":DATE,"to":DATE,"metrics":{"type":"array","items":A({"metric":METRIC,
   "limit":NL("integer", format="int64"),"period":{"type":"string"},"used":INT,"remaining":NL("integer", format="int64"),"resetsAt":NTIME,
   "series":{"type":"array","items":A({"day":DATE,"granted":INT,"refunded":INT,"denials":INT,"fromBonus":INT,"overage":INT})},
   "average7":NL("number"),"trend":{"type":"string","enum":["increasing","decreasing","stable"]},"projected":INT,
   "daysUntilLimit":NL("integer", format="int64"),"dailyBudget":NL("number"),"enoughData":{"type":"boolean"}})}}),
 "Recommendation": A({"subject":SUBJ,"action":{"type":"string","enum":["stay","upgrade","none"]},"currentPlan":{"type":"string"},
   "currentPrice":{**PLAN_PRICE,"nullable":True},"recommendedPlan":NL("string"),"recommendedPrice":{**PLAN_PRICE,"nullable":True},
   "upgradeUrl":NL("string"),"urgent":{"type":"boolean"},"enoughData":{"type":"boolean"},
   "reasons":{"type":"array","items":A({"metric":METRIC,"projected":INT,"required":INT,"currentLimit":NL("integer", format="int64"),
     "recommendedLimit":NL("integer", format="int64"),"fits":{"type":"boolean"},"daysUntilLimit":NL("integer", format="int64")})}}),
 "NearLimitPage": A({"items":{"type":"array","items":A({"subject":SUBJ,"metric":METRIC,"used":INT,"limit":INT,"percent":{"type":"number"},"resetsAt":NTIME})},
   "nextOffset":NL("integer")}),
 "DenialRates": A({"hours":{"type":"array","items":A({"hour":TIME,"decisions":INT,"denials":INT,"rate":{"type":"number"}})}}),
 "UsageDistribution": A({"metric":METRIC,"bands":{"type":"array","items":A({"from":{"type":"integer"},"to":NL("integer"),"subjects":INT})},"subjects":INT}),
 "TopConsumers": A({"metric":METRIC,"items":{"type":"array","items":A({"subject":SUBJ,"used":INT,"limit":NL("integer", format="int64"),"percent":NL("number"),"resetsAt":NTIME})}}),
 "Plans": A({"plans":{"type":"array","items":R("Plan")}}),
 "SubjectRequest": S({"plan":{"type":"string"},"billingAnchor":TIME,"metadata":META,
   "overrides":{"type":"object","description":"the subject's own limits by metric (each in its plan), replacing those it has; {} removes them all; left out, they stay",
     "additionalProperties":S({"limit":NL("integer", format="int64", minimum=0, description="null for unlimited"),"expiresAt":TIME},["limit"])}}),
 "SubjectPage": A({"subjects":{"type":"array","items":R("Subject")},"nextCursor":NL("string", description="pass as after for the next page; null at the end")}),
 "Subject": A({"id":SUBJ,"plan":{"type":"string"},"billingAnchor":TIME,"metadata":STRMAP,
   "overrides":{"type":"object","additionalProperties":A({"limit":NL("integer", format="int64"),"expiresAt":NTIME,"active":{"type":"boolean","description":"false once expired: the plan's limit applies again"}})}}),
 "GrantRequest": S({"metric":METRIC,"amount":AMOUNT,"expiresAt":TIME,"reason":{"type":"string","maxLength":500}},["metric","amount"]),
 "Grant": A({"id":{"type":"string"},"subject":SUBJ,"metric":METRIC,"amount":INT,"used":INT,"remaining":INT,"expiresAt":NTIME,"reason":NL("string"),"createdAt":TIME}),
 "Grants": A({"grants":{"type":"array","items":R("Grant")}}),
 "ResetRequest": S({"metric":METRIC}),
 "Reset": A({"eventId":{"type":"string"}}),
 "TokenRequest": S({"ttlSeconds":{"type":"integer","minimum":1,"maximum":86400,"default":900}}),
 "Token": A({"token":{"type":"string"},"subject":SUBJ,"expiresAt":TIME}),
 "SessionRequest": S({"key":{"type":"string","maxLength":200}},["key"]),
 "Session": A({"role":{"type":"string","enum":["admin","read"]},"keyName":{"type":"string"},"csrfToken":{"type":"string"},"expiresAt":TIME}),
 "EventPage": A({"events":{"type":"array","items":EVENT},"nextCursor":{"type":"string","description":"where the next page starts, always present: the last event's cursor when the page is full (limit events), else the position the read reached (every event committed before it has been passed); an empty page keeps the follower's place"}}),
 "KeyRequest": S({"name":{"type":"string","maxLength":100},"role":{"type":"string","enum":["admin","service","read"]}},["name","role"]),
 "Key": A(KEY),
 "IssuedKey": A({**KEY,"key":{"type":"string","description":"shown once"}}),
 "Keys": A({"keys":{"type":"array","items":R("Key")}}),
 "SignalRules": A({"denialBurst":A({"count":{"type":"integer"},"windowSeconds":INT}),
   "race":A({"requests":{"type":"integer"},"windowMillis":INT,"conflicts":{"type":"integer"},"conflictWindowSeconds":INT}),
   "spike":A({"factor":{"type":"number"},"minUnits":INT,"minHistoryHours":INT}),
   "credentialAbuse":A({"failures":{"type":"integer"},"windowSeconds":INT}),"episodeQuietSeconds":INT}),
 "SignalRulesRequest": S({"denialBurst":S({"count":COUNT,"windowSeconds":{"type":"integer","minimum":1,"maximum":86400}}),
   "race":S({"requests":COUNT,"windowMillis":{"type":"integer","minimum":1,"maximum":60000},"conflicts":COUNT,"conflictWindowSeconds":{"type":"integer","minimum":1,"maximum":86400}}),
   "spike":S({"factor":{"oneOf":[{"type":"number"},{"type":"string"}],"description":"more than 1, at most 1000"},"minUnits":{"type":"integer","minimum":1},"minHistoryHours":{"type":"integer","minimum":1,"maximum":168}}),
   "credentialAbuse":S({"failures":COUNT,"windowSeconds":{"type":"integer","minimum":1,"maximum":86400}}),
   "episodeQuietSeconds":{"type":"integer","minimum":1,"maximum":604800}}),
 "Risk": A({"subject":SUBJ,"score":{"type":"integer","minimum":0,"maximum":100},"band":{"type":"string","enum":["none","low","medium","high","critical"]},
   "signals":{"type":"array","items":A({"signal":{"type":"string","enum":["denial_burst","race","usage_spike","credential_abuse"]},"score":{"type":"integer"},
     "episode":{"type":"string"},"eventId":{"type":"string"},"target":{"type":"string"},"startedAt":TIME,"lastAt":TIME,"hits":INT,"evidence":STRMAP})}}),
 "Risks": A({"subjects":{"type":"array","items":R("Risk")}}),
 "AlertRuleRequest": S({"plan":{"type":"string","pattern":"^[a-z0-9_.-]{1,64}$"},"metric":METRIC,"thresholds":{"type":"array","minItems":1,"maxItems":10,"items":{"type":"integer","minimum":1,"maximum":1000}}},["thresholds"]),
 "AlertRule": A({"name":{"type":"string"},"plan":NL("string"),"metric":NL("string"),"thresholds":{"type":"array","items":{"type":"integer"}},"updatedAt":TIME}),
 "AlertRules": A({"rules":{"type":"array","items":R("AlertRule")},"defaultThresholds":{"type":"array","items":{"type":"integer"}}}),
 "Alert": A({"id":{"type":"string"},"subject":SUBJ,"metric":METRIC,"threshold":{"type":"integer"},"level":{"type":"string","enum":["warning","critical","exceeded"]},
   "state":{"type":"string","enum":["firing","resolved"]},"windowStart":TIME,"resetsAt":NTIME,"used":INT,"limit":INT,"triggeredAt":TIME,"resolvedAt":NTIME,
   "resolvedReason":NL("string", enum=["refund","grant","reset","plan_changed","released","expired","committed","window_ended","usage_changed",None])}),
 "Alerts": A({"alerts":{"type":"array","items":R("Alert")}}),
 "Health": S({"status":{"type":"string","enum":["up","down"]},"database":{"type":"string","enum":["up","down"]},"accepting":{"type":"boolean"}},["status"]),
}
# Webhooks (issue 8, notifications). Admin only, reads included: a Slack or Discord URL is a credential.
MESSAGE_TYPES = ["quota.consumed","quota.denied","quota.refunded","reservation.created","reservation.committed","reservation.released",
  "reservation.expired","grant.added","subject.reset","subject.plan_changed","alert.triggered","alert.resolved","abuse.detected",
  "spike.detected","webhook.disabled"]
WH_FORMAT = {"type":"string","enum":["standard","slack","discord"]}
WH_TYPES = {"type":"array","minItems":1,"items":{"type":"string","enum":MESSAGE_TYPES}}
WH = {"id":{"type":"string"},"url":{"type":"string"},"format":WH_FORMAT,"types":{"type":"array","items":{"type":"string"}},
  "state":{"type":"string","enum":["enabled","disabled"]}}
WH_ID = {"name":"id","in":"path","required":True,"schema":{"type":"string","maxLength":255}}
EMPTY = body({"type":"object","additionalProperties":False,"properties":{}}, False)
paths.update({
 "/v1/webhooks": {
    "post": op("createWebhook", "Create a webhook endpoint (the secret is shown once)","webhooks",ADM,
      {**ok("201", "The endpoint and its secret", R("IssuedWebhook")), **problems(*AUTH, *BODY)}, None, body(R("WebhookRequest")),
      "The URL must be http or https; loopback, private and link-local addresses (after DNS) are refused with invalid-field on url unless the server runs with QUOTIENT_WEBHOOKS_ALLOW_PRIVATE=true. It gets every message of its types committed from now on, in feed order, at least once (deduplicate on webhook-id)."),
    "get": op("listWebhooks", "Every webhook endpoint (without secrets)","webhooks",ADM, {**ok("200", "Endpoints", R("Webhooks")), **problems(*AUTH)})},
 "/v1/webhooks/{id}": {
    "get": op("getWebhook", "A webhook endpoint","webhooks",ADM, {**ok("200", "The endpoint", R("Webhook")), **problems(*AUTH, "invalid-field", "not-found")}, [WH_ID]),
    "delete": op("deleteWebhook", "Delete a webhook endpoint and its queued messages","webhooks",ADM, {**ok("200", "The deleted endpoint", R("Webhook")), **problems(*AUTH, "invalid-field", "not-found")}, [WH_ID])},
 "/v1/webhooks/{id}/test": {"post": op("testWebhook", "Queue a webhook.test message for the endpoint","webhooks",ADM,
    {**ok("202", "The queued delivery", R("WebhookDelivery")), **problems(*AUTH, *BODY, "not-found")}, [WH_ID], EMPTY)},
 "/v1/webhooks/{id}/rotate-secret": {"post": op("rotateWebhookSecret", "Give the endpoint a new secret; the previous one also signs for 24 hours","webhooks",ADM,
    {**ok("200", "The endpoint and its new secret", R("IssuedWebhook")), **problems(*AUTH, *BODY, "not-found")}, [WH_ID], EMPTY)},
 "/v1/webhooks/{id}/deliveries": {"get": op("listWebhookDeliveries", "The endpoint's latest deliveries, newest first","webhooks",ADM,
    {**ok("200", "Deliveries", R("WebhookDeliveries")), **problems(*AUTH, "invalid-field", "unknown-field", "not-found")},
    [WH_ID, {"name":"limit","in":"query","schema":{"type":"integer","minimum":1,"maximum":1000,"default":100}}])},
})
schemas.update({
 "WebhookRequest": S({"url":{"type":"string","maxLength":2048},"format":{**WH_FORMAT,"default":"standard"},"types":WH_TYPES},["url","types"]),
 "Webhook": A({**WH,"disabledReason":NL("string", enum=["gone","failing",None]),"disabledAt":NTIME,"createdAt":TIME,"previousSecretExpiresAt":NTIME}),
 "IssuedWebhook": A({**WH,"createdAt":TIME,"previousSecretExpiresAt":NTIME,"secret":{"type":"string","description":"whsec_…; shown once"}}),
 "Webhooks": A({"webhooks":{"type":"array","items":R("Webhook")}}),
 "WebhookDelivery": A({"id":{"type":"string"},"messageId":{"type":"string"},"type":{"type":"string"},"state":{"type":"string","enum":["pending","delivered","failed"]},
   "attempts":{"type":"integer"},"createdAt":TIME,"nextAttemptAt":NTIME,"lastAttemptAt":NTIME,"lastStatus":NL("integer"),"lastError":NL("string"),"deliveredAt":NTIME}),
 "WebhookDeliveries": A({"deliveries":{"type":"array","items":R("WebhookDelivery")}}),
})
doc = {"openapi":"3.0.3",
 "info":{"title":"Quotient","version":"1","description":"Usage quotas over HTTP. Credentials: Authorization: Bearer <api key> (roles admin, service, read) or a subject token. Errors are RFC 9457 problems with a stable type (urn:quotient:problem:<name>) and the offending field. A 503 storage-unavailable leaves the outcome unknown: retry with the same Idempotency-Key. The records of the Java module quotient-api are this document's schemas."},
 "tags":[{"name":"enforcement"},{"name":"administration"},{"name":"monitoring"},{"name":"webhooks"},{"name":"analytics"},{"name":"operations"}],
 "paths": paths,
 "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer","description":"an API key (qk_…); the scopes listed per operation are the roles allowed"},"subjectToken":{"type":"http","scheme":"bearer","description":"a subject token (qst_…) from POST /v1/subjects/{id}/tokens"},"sessionCookie":{"type":"apiKey","in":"cookie","name":"quotient_session","description":"the dashboard session from POST /v1/session, with the role of the key it was opened with; writes also need X-CSRF-Token"}},"schemas":schemas}}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../main/resources/io/quotient/server/api/openapi.json")
with open(out, "w") as f:
    json.dump(doc, f, indent=1)
    f.write("\n")
