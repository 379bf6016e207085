import AtalayaCore
import Server

/// The JSON answers of `GET /api/v1/routes` and `GET /api/v1/routes/{name}`: 200 when the
/// route has a choice, 503 with the same body when no candidate is usable, 404 for an
/// unknown route.
enum RouteReport {
  static func json(_ r: RouteView) -> JSONValue {
    .members([
      ("route", .string(r.route)),
      (
        "choice",
        r.choice.map {
          .members([("provider", .string($0.provider)), ("model", .string($0.model))])
        }
          ?? .null
      ),
      ("usable_candidates", .number(Double(r.usableCount))),
      ("candidates", .array(r.candidates.map(candidate))),
      ("generated_at", .string(RFC3339.format(r.at))),
    ])
  }

  static func candidate(_ c: CandidateView) -> JSONValue {
    .members([
      ("provider", .string(c.provider)),
      ("model", .string(c.model)),
      ("usable", .bool(c.usable)),
      ("reason", .string(c.reason?.rawValue)),
      ("retry_after_seconds", .number(c.retryAfterSeconds.map { $0.rounded(.up) })),
      ("success_ratio", .number(c.successRatio)),
      ("latency_p95_ms", StatusReport.ms(c.latencyP95)),
      ("status", .string(c.status?.rawValue)),
    ])
  }

  static func one(_ name: String, views: [RouteView]) -> EndpointResponse {
    guard let view = views.first(where: { $0.route == name }) else {
      return HistoryReport.error(404, "no route `\(String(name.prefix(64)))`")
    }
    return EndpointResponse(
      status: view.choice == nil ? 503 : 200, body: Array(json(view).prettyEncoded.utf8))
  }

  static func all(_ views: [RouteView], at now: Timestamp) -> EndpointResponse {
    HistoryReport.ok(
      .members([
        ("generated_at", .string(RFC3339.format(now))),
        ("routes", .array(views.map(json))),
      ]))
  }
}
