/// A response an endpoint computed: status, content type and body.
public struct EndpointResponse: Sendable, Equatable {
  public var status: Int
  public var contentType: String
  public var body: [UInt8]

  public init(status: Int, contentType: String = "application/json", body: [UInt8]) {
    self.status = status
    self.contentType = contentType
    self.body = body
  }
}

extension AgentEndpoints {
  /// Without a usage ledger the usage API does not exist.
  public func ingestUsage(body: [UInt8], authorization: String?) async -> EndpointResponse {
    EndpointResponse(
      status: 404, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8))
  }

  /// Open unless the agent says otherwise.
  public func authorizesAdmin(_ authorization: String?) -> Bool { true }

  /// 1 MiB unless the agent says otherwise.
  public var usageBodyLimit: Int { 1 << 20 }

  /// Without a history, these endpoints do not exist.
  public func renderHistory(query: [String: String]) -> EndpointResponse { Self.notFound }
  public func renderIncidents(query: [String: String]) -> EndpointResponse { Self.notFound }
  public func renderIncident(id: String) -> EndpointResponse { Self.notFound }
  public func renderRoutes() -> EndpointResponse { Self.notFound }
  public func renderStatusPage() -> [UInt8]? { nil }
  public func subscribeEvents(lastEventID: String?, query: [String: String]) -> EventStreamAnswer {
    .refused(Self.notFound)
  }
  public func renderRoute(name: String) -> EndpointResponse { Self.notFound }
  public func renderSilences() -> EndpointResponse { Self.notFound }
  public func renderSilence(id: String) -> EndpointResponse { Self.notFound }
  public func createSilence(body: [UInt8], authorization: String?) async -> EndpointResponse {
    Self.notFound
  }
  public func expireSilence(id: String, authorization: String?) async -> EndpointResponse {
    Self.notFound
  }

  static var notFound: EndpointResponse {
    EndpointResponse(
      status: 404, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8))
  }
}
