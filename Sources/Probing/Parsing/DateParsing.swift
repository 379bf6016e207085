import AtalayaCore
import HTTPClient

/// Small date parsers for response headers (no Foundation).
enum DateParsing {
  /// An RFC 3339 time ("2024-05-01T12:00:30Z", "…30.25+02:00"); surrounding spaces allowed.
  static func rfc3339(_ text: String) -> Timestamp? {
    RFC3339.parse(text.trimmingSpaces())
  }

  /// An HTTP-date (see ``HTTPDate/parse(_:)``).
  static func httpDate(_ text: String) -> Timestamp? { HTTPDate.parse(text) }
}
