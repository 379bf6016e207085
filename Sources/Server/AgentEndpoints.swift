/// What the HTTP server needs from the agent. The server renders nothing
/// itself: it asks the agent and sets the right status and content type.
public protocol AgentEndpoints: Sendable {
  /// The Prometheus text exposition (format 0.0.4).
  func renderMetrics() async -> [UInt8]
  /// The same exposition handed to `emit` in pieces as it is rendered (what /metrics sends).
  func streamMetrics(_ emit: (ArraySlice<UInt8>) async throws -> Void) async rethrows
  /// The JSON document served at /api/v1/status.
  func renderStatus() -> [UInt8]
  /// The JSON document served at /api/v1/alerts (active alerts).
  func renderAlerts() -> [UInt8]
  /// True once the config is loaded, the listener bound and the scheduler running.
  var isReady: Bool { get }
  /// Re-reads the configuration (the same as SIGHUP).
  func reload() async -> ReloadOutcome
  /// Whether `authorization` (the request's Authorization header) may call the
  /// lifecycle endpoints: always when `admin_api` sets no token.
  func authorizesAdmin(_ authorization: String?) -> Bool
  /// POST /api/v1/usage: application-reported traffic (JSON object or NDJSON);
  /// `authorization` is the request's Authorization header.
  func ingestUsage(body: [UInt8], authorization: String?) async -> EndpointResponse
  /// The largest usage body accepted; larger ones get 413 while being read.
  var usageBodyLimit: Int { get }
  /// GET /api/v1/history with its query parameters.
  func renderHistory(query: [String: String]) -> EndpointResponse
  /// GET /api/v1/incidents with its query parameters.
  func renderIncidents(query: [String: String]) -> EndpointResponse
  /// GET /api/v1/incidents/{id}.
  func renderIncident(id: String) -> EndpointResponse
  /// GET /api/v1/events: a stream of SSE frames, or a refusal (400, 503).
  func subscribeEvents(lastEventID: String?, query: [String: String]) -> EventStreamAnswer
  /// The HTML status page (GET / for browsers, GET /status); nil when there is none.
  func renderStatusPage() -> [UInt8]?
  /// GET /api/v1/silences: every silence, Alertmanager's v2 list shape.
  func renderSilences() -> EndpointResponse
  /// GET /api/v1/silences/{id}.
  func renderSilence(id: String) -> EndpointResponse
  /// POST /api/v1/silences (JSON body; `authorization` is the Authorization header).
  func createSilence(body: [UInt8], authorization: String?) async -> EndpointResponse
  /// DELETE /api/v1/silences/{id}: expires the silence now.
  func expireSilence(id: String, authorization: String?) async -> EndpointResponse
  /// GET /api/v1/routes.
  func renderRoutes() -> EndpointResponse
  /// GET /api/v1/routes/{name}: 200 with a choice, 503 without one, 404 unknown.
  func renderRoute(name: String) -> EndpointResponse
}

/// What GET /api/v1/events answers.
public enum EventStreamAnswer: Sendable {
  /// `text/event-stream`: each element is written as it comes; the stream's end ends it.
  case stream(AsyncStream<[UInt8]>)
  case refused(EndpointResponse)
}

/// The result of a reload, as POST /-/reload reports it.
public struct ReloadOutcome: Sendable, Equatable {
  public var success: Bool
  /// What happened, without secrets (the config errors when it failed).
  public var message: String

  public init(success: Bool, message: String) {
    self.success = success
    self.message = message
  }
}

extension AgentEndpoints {
  /// One piece: the whole rendered exposition.
  public func streamMetrics(_ emit: (ArraySlice<UInt8>) async throws -> Void) async rethrows {
    try await emit(ArraySlice(await renderMetrics()))
  }
}
