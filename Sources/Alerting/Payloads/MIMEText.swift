import AtalayaCore

/// The encodings an email message needs, without Foundation: Base64, quoted-printable
/// (RFC 2045), RFC 2047 encoded-words and RFC 5322 dates.
public enum MIMEText {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  /// Base64 of `bytes`, one line.
  public static func base64(_ bytes: some Collection<UInt8>) -> String {
    let bytes = Array(bytes)
    var out: [UInt8] = []
    out.reserveCapacity((bytes.count + 2) / 3 * 4)
    var i = 0
    while i < bytes.count {
      let b0 = bytes[i]
      let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
      let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
      out.append(alphabet[Int(b0 >> 2)])
      out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
      out.append(
        i + 1 < bytes.count ? alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)] : UInt8(ascii: "="))
      out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
      i += 3
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `text` as quoted-printable with CRLF line breaks and lines of at most 76
  /// characters (soft breaks `=`); any line break in `text` becomes CRLF.
  public static func quotedPrintable(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var lines: [String] = []
    let normalised = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
      var out: [UInt8] = []
      var width = 0
      let bytes = Array(line.utf8)
      for (index, byte) in bytes.enumerated() {
        let isLast = index == bytes.count - 1
        var piece: [UInt8]
        let plain =
          (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
          || ((byte == 0x20 || byte == 0x09) && !isLast)
        if plain {
          piece = [byte]
        } else {
          piece = [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
        }
        if width + piece.count > 75 {
          out += Array("=\r\n".utf8)
          width = 0
        }
        out += piece
        width += piece.count
      }
      lines.append(String(decoding: out, as: UTF8.self))
    }
    return lines.joined(separator: "\r\n")
  }

  /// `text` with every control character (CR and LF included) replaced by a space:
  /// nothing from a label or annotation can start a new header line.
  public static func headerSafe(_ text: String) -> String {
    String(
      String.UnicodeScalarView(
        text.unicodeScalars.map {
          $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}"
            ? " " : $0
        }))
  }

  /// A header value: as is when it is printable ASCII, else RFC 2047 `=?UTF-8?B?…?=`
  /// encoded-words (each at most 75 characters, whole characters only), folded onto
  /// continuation lines. Control characters become spaces first.
  public static func headerValue(_ text: String) -> String {
    let safe = headerSafe(text)
    if safe.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) {
      return fold(safe)
    }
    // 75 − len("=?UTF-8?B??=") = 63 Base64 characters → 45 bytes per word.
    var words: [String] = []
    var chunk: [UInt8] = []
    for character in safe {
      let bytes = Array(String(character).utf8)
      if chunk.count + bytes.count > 45, !chunk.isEmpty {
        words.append("=?UTF-8?B?" + base64(chunk) + "?=")
        chunk = []
      }
      chunk += bytes
    }
    if !chunk.isEmpty { words.append("=?UTF-8?B?" + base64(chunk) + "?=") }
    return words.joined(separator: "\r\n ")
  }

  /// Folds an ASCII header value at spaces so no line exceeds 78 characters where it
  /// can (a single longer word stays whole; RFC 5322 allows up to 998).
  static func fold(_ text: String) -> String {
    var lines: [String] = []
    var current = ""
    for whole in text.split(separator: " ", omittingEmptySubsequences: false) {
      let word = whole.prefix(900)
      if !current.isEmpty, current.count + 1 + word.count > 70 {
        lines.append(current)
        current = String(word)
      } else {
        current += current.isEmpty && lines.isEmpty ? String(word) : " " + word
      }
    }
    lines.append(current)
    return lines.joined(separator: "\r\n ")
  }

  private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
  private static let months = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]

  /// An RFC 5322 date in UTC: `Wed, 02 Dec 2026 09:04:56 +0000`.
  public static func date(_ t: Timestamp) -> String {
    let total = Int(t.seconds.rounded(.down))
    let days = total >= 0 ? total / 86400 : (total - 86399) / 86400
    let secondOfDay = total - days * 86400
    let (year, month, day) = UTCCalendar.civil(days: days)
    let weekday = weekdays[((days % 7) + 7) % 7]
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(weekday), \(two(day)) \(months[month - 1]) \(year) "
      + "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) +0000"
  }
}
