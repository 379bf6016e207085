/// One HTTP header field.
public struct HTTPHeader: Sendable, Hashable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// A request for an ``HTTPTransport``: everything needed to send it, nothing
/// about how (the transport owns connections, TLS and HTTP versions).
public struct HTTPRequest: Sendable {
  public var method: String
  public var url: String
  public var headers: [HTTPHeader]
  public var body: [UInt8]?
  /// Total deadline for the whole transfer (connect, send, receive).
  public var timeout: Duration
  /// Deadline for connecting (TCP + TLS); nil means the total ``timeout``.
  public var connectTimeout: Duration?
  /// Body bytes kept at most; past this the transfer is aborted and the
  /// response is marked ``HTTPResponse/bodyTruncated``.
  public var maxBodyBytes: Int
  /// What a body longer than ``maxBodyBytes`` means: an error (probes, polls:
  /// the answer is unusable), or just a cut (deliveries: the status is the answer).
  public var overlongBody: OverlongBody
  /// Set for an SMTP submission (`smtp://`, `smtps://`): the body is the message.
  public var mail: MailEnvelope?
  /// The headers built for libcurl once, by ``prepared()``.
  var headerList: CurlHeaderList?

  public init(
    method: String = "GET", url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil,
    timeout: Duration = .seconds(15), connectTimeout: Duration? = nil, maxBodyBytes: Int = 1 << 20,
    overlongBody: OverlongBody = .fails, mail: MailEnvelope? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
    self.connectTimeout = connectTimeout
    self.maxBodyBytes = maxBodyBytes
    self.overlongBody = overlongBody
    self.mail = mail
  }
}

/// How a transfer treats a response body longer than the request's cap.
public enum OverlongBody: Sendable {
  /// The response carries ``TransportError/Kind/bodyTooLarge``.
  case fails
  /// Reading stops at the cap; the response is complete apart from the body, which
  /// is marked ``HTTPResponse/bodyTruncated``.
  case isCut
}
