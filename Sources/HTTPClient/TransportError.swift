/// Why a transfer failed below HTTP.
public struct TransportError: Error, Sendable, Hashable {
  /// The broad failure class.
  public enum Kind: String, Sendable, Hashable {
    case timeout
    case dns
    case connect
    case tls
    /// The body exceeded the request's `maxBodyBytes`.
    case bodyTooLarge
    case cancelled
    case other
  }

  public var kind: Kind
  /// The CURLcode (0 when the failure did not come from libcurl).
  public var code: Int32
  /// curl's error buffer text (never contains request headers or bodies).
  public var message: String

  public init(kind: Kind, code: Int32, message: String) {
    self.kind = kind
    self.code = code
    self.message = message
  }

  /// The error of a transfer cancelled by its task or by shutdown.
  public static func cancelled(_ message: String = "transfer cancelled") -> TransportError {
    TransportError(kind: .cancelled, code: 42, message: message)
  }
}
