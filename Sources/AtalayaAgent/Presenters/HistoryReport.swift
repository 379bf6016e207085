import AtalayaCore
import Server

/// The JSON answers of `GET /api/v1/history`, `GET /api/v1/incidents` and
/// `GET /api/v1/incidents/{id}`. Bad parameters get 400 with a message that names them.
enum HistoryReport {
  static func error(_ status: Int, _ message: String) -> EndpointResponse {
    EndpointResponse(
      status: status,
      body: Array(JSONValue.members([("error", .string(message))]).prettyEncoded.utf8))
  }

  static func ok(_ json: JSONValue) -> EndpointResponse {
    EndpointResponse(status: 200, body: Array(json.prettyEncoded.utf8))
  }

  /// `?provider=P[&model=M]&range=24h|7d|30d|90d` (range defaults to 24h).
  /// `buckets` reads the history (under its lock); the JSON is built outside it.
  static func history(
    query: [String: String], at now: Timestamp,
    buckets read: (_ provider: String, _ model: String?, HistoryRange) -> [HistoryBucket]?
  ) -> EndpointResponse {
    guard let provider = query["provider"], !provider.isEmpty else {
      return error(400, "`provider` is required, e.g. /api/v1/history?provider=openai&range=24h")
    }
    let rangeText = query["range"] ?? "24h"
    guard let range = HistoryRange(rawValue: rangeText) else {
      return error(
        400,
        "unknown range `\(String(rangeText.prefix(20)))`; expected one of: "
          + HistoryRange.allCases.map(\.rawValue).joined(separator: ", "))
    }
    let model = query["model"].flatMap { $0.isEmpty ? nil : $0 }
    guard let buckets = read(provider, model, range) else {
      return error(
        404,
        "no check of provider `\(String(provider.prefix(64)))`"
          + (model.map { " for model `\(String($0.prefix(256)))`" } ?? ""))
    }
    let counted = buckets.reduce(UInt64(0)) { $0 &+ $1.counted }
    let succeeded = buckets.reduce(UInt64(0)) { $0 &+ $1.succeeded }
    return ok(
      .members([
        ("provider", .string(provider)),
        ("model", .string(model)),
        ("range", .string(range.rawValue)),
        ("bucket_seconds", .number(buckets.first?.seconds)),
        ("generated_at", .string(RFC3339.format(now))),
        ("uptime", .number(counted > 0 ? Double(succeeded) / Double(counted) : nil)),
        (
          "buckets",
          .array(
            buckets.map { b in
              .members([
                ("start", .string(RFC3339.format(b.start))),
                ("counted", .number(Double(b.counted))),
                ("succeeded", .number(Double(b.succeeded))),
                ("uptime", .number(b.ratio)),
                ("latency_p95_ms", StatusReport.ms(b.p95)),
              ])
            })
        ),
      ]))
  }

  /// `?days=30[&provider=P][&status=open|resolved]`, newest first.
  static func incidents(query: [String: String], log: IncidentLog, at now: Timestamp)
    -> EndpointResponse
  {
    var days = 30
    if let text = query["days"] {
      guard let n = Int(text), (1...90).contains(n) else {
        return error(400, "`days` must be a whole number from 1 to 90")
      }
      days = n
    }
    var status: Incident.Status?
    if let text = query["status"] {
      guard let s = Incident.Status(rawValue: text) else {
        return error(400, "`status` must be open or resolved")
      }
      status = s
    }
    let provider = query["provider"].flatMap { $0.isEmpty ? nil : $0 }
    let list = log.list(days: days, provider: provider, status: status, at: now)
    return ok(
      .members([
        ("generated_at", .string(RFC3339.format(now))),
        ("days", .number(Double(days))),
        ("incidents", .array(list.map { json($0, at: now) })),
      ]))
  }

  static func incident(id: String, log: IncidentLog, at now: Timestamp) -> EndpointResponse {
    guard let incident = log.incident(id) else {
      return error(404, "no incident `\(String(id.prefix(100)))`")
    }
    return ok(json(incident, at: now))
  }

  static func json(_ i: Incident, at now: Timestamp) -> JSONValue {
    .members([
      ("id", .string(i.id)),
      ("provider", .string(i.provider)),
      ("status", .string(i.status.rawValue)),
      ("impact", .string(i.impact.rawValue)),
      ("started_at", .string(RFC3339.format(i.startedAt))),
      ("ended_at", .string(i.endedAt.map(RFC3339.format))),
      ("duration_seconds", .number(i.duration(at: now).seconds.rounded())),
      ("checks", .array(i.checks.map { .string($0) })),
      ("cause", .string(i.cause?.rawValue)),
      ("first_error", .string(i.firstError)),
      ("maintenance", .array((i.maintenance ?? []).map { .string($0) })),
      ("alerts", .array(i.alerts.map { .string($0) })),
      (
        "failures",
        .members(i.failures.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) })
      ),
    ])
  }
}
