/// Sends HTTP requests. Never throws: failures are in ``HTTPResponse/error``.
public protocol HTTPTransport: Sendable {
  func send(_ request: HTTPRequest) async -> HTTPResponse
}
