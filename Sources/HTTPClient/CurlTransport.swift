/// The production ``HTTPTransport``: libcurl over a shared ``CurlMultiLoop``.
public struct CurlTransport: HTTPTransport {
  public let loop: CurlMultiLoop
  /// Sent as `User-Agent`, e.g. `atalaya/0.1.0`.
  public let userAgent: String

  public init(loop: CurlMultiLoop, userAgent: String) {
    self.loop = loop
    self.userAgent = userAgent
  }

  public func send(_ request: HTTPRequest) async -> HTTPResponse {
    await loop.perform(request, userAgent: userAgent)
  }
}
