import AtalayaCore

/// Removes a provider's secrets (API key, extra header values) from text, and
/// shapes failure messages: one line, redacted, at most ``maxMessageLength``
/// characters.
struct ProbeRedactor: Sendable {
  /// Secret values, longest first (so a secret containing another is removed whole).
  private let secrets: [String]

  static let placeholder = "[redacted]"
  static let maxMessageLength = 200

  init(secrets: [String]) {
    // Very short values would mangle ordinary text; they are not secrets worth the name.
    self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
  }

  init(provider: ProviderConfig) {
    var values = provider.headers.map { $0.value.reveal() }
    if let key = provider.apiKey?.reveal() { values.append(key) }
    self.init(secrets: values)
  }

  /// `text` with every secret occurrence replaced by ``placeholder``.
  func redact(_ text: String) -> String {
    var out = text
    for secret in secrets where out.contains(secret) {
      out = out.replacing(secret, with: Self.placeholder)
    }
    return out
  }

  /// A one-line, redacted, truncated message.
  func message(_ raw: String) -> String {
    var collapsed = ""
    var lastWasSpace = false
    // Only the start is ever shown; the cut is far past what truncation keeps.
    for ch in raw.prefix(8192) {
      let isSpace =
        ch.isWhitespace || ch.unicodeScalars.allSatisfy { $0.value < 0x20 || $0.value == 0x7F }
      if isSpace {
        if !lastWasSpace && !collapsed.isEmpty { collapsed.append(" ") }
        lastWasSpace = true
      } else {
        collapsed.append(ch)
        lastWasSpace = false
      }
    }
    while collapsed.last == " " { collapsed.removeLast() }
    let redacted = redact(collapsed)
    guard redacted.count > Self.maxMessageLength else { return redacted }
    return String(redacted.prefix(Self.maxMessageLength - 1)) + "…"
  }
}
