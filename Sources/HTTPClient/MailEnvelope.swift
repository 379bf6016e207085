/// Turns an ``HTTPRequest`` into an SMTP submission: its `url` is `smtp://` or
/// `smtps://`, its `body` the RFC 5322 message, uploaded by libcurl (which does the
/// dot-stuffing) to `recipients`. The response's status is the last SMTP reply code.
public struct MailEnvelope: Sendable, Equatable {
  /// How TLS is used on an `smtp://` URL (`smtps://` is TLS from the start).
  public enum TLS: Sendable, Equatable {
    /// STARTTLS when the server offers it (CURLUSESSL_TRY).
    case opportunistic
    /// STARTTLS or fail (CURLUSESSL_ALL).
    case required
  }

  /// `MAIL FROM`.
  public var from: String
  /// One `RCPT TO` each.
  public var recipients: [String]
  /// SMTP AUTH credentials; both or neither.
  public var username: String?
  public var password: String?
  public var tls: TLS

  public init(
    from: String, recipients: [String], username: String? = nil, password: String? = nil,
    tls: TLS = .opportunistic
  ) {
    self.from = from
    self.recipients = recipients
    self.username = username
    self.password = password
    self.tls = tls
  }
}
