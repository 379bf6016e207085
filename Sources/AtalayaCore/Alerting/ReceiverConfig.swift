/// Where notifications go.
public struct ReceiverConfig: Sendable, Equatable {
  /// The receiver's `type`.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    case slack, webhook, alertmanager
    /// Prints to standard output (the demo's receiver).
    case console
    /// SMTP (or SMTPS) through libcurl; see ``EmailSettings``.
    case email
    /// PagerDuty Events API v2: one event per alert.
    case pagerduty
  }

  public var name: String
  public var kind: Kind
  /// The URL (a secret: Slack's carries a token). Unused by `console`; `smtp://` or
  /// `smtps://` for `email`; defaulted for `pagerduty`.
  public var url: Secret?
  public var headers: [HeaderField]
  public var bearerToken: Secret?
  /// Per-attempt timeout.
  public var timeout: Duration
  /// A notification older than this is dropped (and counted) instead of retried.
  public var maxAge: Duration
  /// Only alerts of this severity or higher reach the receiver (``AlertSeverity``); nil: all.
  public var severityAtLeast: String?
  /// webhook: the body, rendered from the group, instead of the Alertmanager payload.
  public var bodyTemplate: GroupTemplate?
  /// webhook: the Content-Type of a templated body (default application/json).
  public var contentType: String?
  /// email: envelope, credentials and templates.
  public var email: EmailSettings?
  /// pagerduty: the integration's routing key (a secret).
  public var routingKey: Secret?

  public init(
    name: String, kind: Kind, url: Secret? = nil, headers: [HeaderField] = [],
    bearerToken: Secret? = nil,
    timeout: Duration = .seconds(10), maxAge: Duration = .seconds(24 * 3600),
    severityAtLeast: String? = nil, bodyTemplate: GroupTemplate? = nil,
    contentType: String? = nil, email: EmailSettings? = nil, routingKey: Secret? = nil
  ) {
    self.name = name
    self.kind = kind
    self.url = url
    self.headers = headers
    self.bearerToken = bearerToken
    self.timeout = timeout
    self.maxAge = maxAge
    self.severityAtLeast = severityAtLeast
    self.bodyTemplate = bodyTemplate
    self.contentType = contentType
    self.email = email
    self.routingKey = routingKey
  }

  /// PagerDuty's Events API v2 endpoint, used when a `pagerduty` receiver sets no `url`.
  public static let pagerDutyURL = "https://events.pagerduty.com/v2/enqueue"

  /// Whether an alert of `severity` reaches this receiver (`severity_at_least`).
  public func accepts(severity: String) -> Bool {
    guard let severityAtLeast else { return true }
    return AlertSeverity.rank(severity) >= AlertSeverity.rank(severityAtLeast)
  }
}

/// An `email` receiver's settings: who sends, who receives, how to log in and what
/// the message says.
public struct EmailSettings: Sendable, Equatable {
  /// The envelope and `From:` address.
  public var from: String
  /// The envelope recipients and `To:` addresses.
  public var to: [String]
  public var username: String?
  public var password: Secret?
  /// `require_tls`: fail unless STARTTLS succeeds (smtp:// only; smtps:// is TLS from the start).
  public var requireTLS: Bool
  /// Templates over the group; nil means the built-in defaults.
  public var subject: GroupTemplate?
  public var text: GroupTemplate?
  public var html: GroupTemplate?

  public init(
    from: String, to: [String], username: String? = nil, password: Secret? = nil,
    requireTLS: Bool = false, subject: GroupTemplate? = nil, text: GroupTemplate? = nil,
    html: GroupTemplate? = nil
  ) {
    self.from = from
    self.to = to
    self.username = username
    self.password = password
    self.requireTLS = requireTLS
    self.subject = subject
    self.text = text
    self.html = html
  }

  /// Whether `text` is a plain `local@domain` address safe for an envelope and a header:
  /// no spaces, control characters, angle brackets, commas or quotes.
  public static func isValidAddress(_ text: String) -> Bool {
    guard text.utf8.count <= 254, let at = text.lastIndex(of: "@") else { return false }
    let local = text[..<at]
    let domain = text[text.index(after: at)...]
    guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty else { return false }
    let forbidden = Set("<>()[]\\,;:\"@ ".unicodeScalars)
    guard
      local.unicodeScalars.allSatisfy({
        $0.value > 0x20 && $0.value < 0x7f && !forbidden.contains($0)
      })
    else { return false }
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    return labels.allSatisfy { label in
      !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
        && label.unicodeScalars.allSatisfy {
          ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
            || $0 == "-"
        }
    }
  }
}

/// Rule severities, in order: info < warning < error < critical.
public enum AlertSeverity {
  /// The severities a rule may have, lowest first.
  public static let ordered = ["info", "warning", "error", "critical"]

  /// The position of `severity` in ``ordered``; an unknown one counts as `info`.
  public static func rank(_ severity: String) -> Int { ordered.firstIndex(of: severity) ?? 0 }
}
