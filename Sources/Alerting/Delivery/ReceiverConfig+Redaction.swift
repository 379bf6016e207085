import AtalayaCore

extension ReceiverConfig {
  /// The URL as logs and errors may show it: `scheme://host/…` (never the path,
  /// query or credentials, which can carry tokens). `console` for console receivers.
  public var redactedURL: String {
    guard let url = url?.reveal() else { return kind == .console ? "console" : "(no url)" }
    return Self.redact(url)
  }

  /// `scheme://host[:port]/…` of `url`; user info, path and query are cut.
  public static func redact(_ url: String) -> String {
    guard let schemeEnd = url.firstRange(of: "://") else { return "…" }
    let scheme = url[..<schemeEnd.lowerBound]
    var rest = url[schemeEnd.upperBound...]
    if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
      rest = rest[..<end]
    }
    if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
    return "\(scheme)://\(rest)/…"
  }

  /// A redactor for everything secret in this receiver (URL, token, header values,
  /// SMTP password, routing key).
  public var redactor: Redactor {
    Redactor(
      secrets: [url, bearerToken, email?.password, routingKey].compactMap { $0 }
        + headers.map(\.value))
  }
}
