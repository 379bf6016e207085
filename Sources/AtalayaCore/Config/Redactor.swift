/// Removes secret values from text (log lines, error messages, response bodies).
public struct Redactor: Sendable {
  /// Known secrets worth replacing (at least 4 characters), longest first so a
  /// secret that contains another is replaced whole.
  private let secrets: [Secret]

  public init(secrets: [Secret]) {
    var seen = Set<String>()
    self.secrets =
      secrets
      .filter { $0.reveal().count >= 4 && seen.insert($0.reveal()).inserted }
      .sorted { $0.reveal().count > $1.reveal().count }
  }

  /// `text` with every occurrence of a known secret replaced by its redacted form.
  public func redact(_ text: String) -> String {
    var text = text
    for secret in secrets where text.contains(secret.reveal()) {
      text = text.replacing(secret.reveal(), with: secret.redacted)
    }
    return text
  }

  /// `text` with things that look like credentials masked even when they are not
  /// known: `sk-…` keys, `Bearer …` tokens and the values of `x-api-key:`,
  /// `api-key:` and `authorization:` headers.
  public static func scrubCommonPatterns(_ text: String) -> String {
    var text = text
    text = text.replacing(
      #/(?i)\b(x-api-key|api-key|authorization)("?\s*[:=]\s*"?)((?:bearer\s+|basic\s+)?)([^\s",}]+)/#
    ) { match in
      match.output.1 + match.output.2 + match.output.3 + Secret(String(match.output.4)).redacted
    }
    text = text.replacing(#/(?i)\b(bearer)(\s+)([A-Za-z0-9._~+\/=-]{8,})/#) { match in
      match.output.1 + match.output.2 + Secret(String(match.output.3)).redacted
    }
    text = text.replacing(#/\bsk-[A-Za-z0-9_-]{8,}/#) { match in
      Secret(String(match.output)).redacted
    }
    return text
  }
}
