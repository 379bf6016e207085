import AtalayaCore

/// An `email` receiver's message for one notification: RFC 5322 headers (`Date`,
/// `Message-ID`, `From`, `To`, `Subject`, `MIME-Version`) and a `multipart/alternative`
/// body with a text/plain and a text/html part, quoted-printable, CRLF line endings.
///
/// Header values never carry a line break from a label or annotation (control
/// characters become spaces; non-ASCII subjects are RFC 2047 encoded-words), and HTML
/// values are escaped. libcurl dot-stuffs the upload.
public enum EmailMessage {
  /// The default `subject`: `[FIRING:2] LLMProviderDown (provider=openai)`.
  public static let defaultSubject = GroupTemplate(valid: "{{ .title }}")
  /// The default text part.
  public static let defaultText = GroupTemplate(
    valid: """
      {{ .title }}

      {{ range .alerts }}[{{ .status }}] {{ .subject }}: {{ .summary }}
        value {{ .value }}, since {{ .starts_at }}
      {{ end }}
      {{ .external_url }}
      """)
  /// The default HTML part.
  public static let defaultHTML = GroupTemplate(
    valid: """
      <!DOCTYPE html>
      <html><body style="font-family:sans-serif">
      <h2>{{ .title }}</h2>
      <table cellpadding="4" style="border-collapse:collapse">
      <tr><th align="left">status</th><th align="left">what</th><th align="left">value</th><th align="left">since</th><th align="left">summary</th></tr>
      {{ range .alerts }}<tr><td>{{ .status }}</td><td>{{ .subject }}</td><td>{{ .value }}</td><td>{{ .starts_at }}</td><td>{{ .summary }}</td></tr>
      {{ end }}</table>
      <p><a href="{{ .external_url }}">{{ .external_url }}</a></p>
      </body></html>
      """)

  /// The message bytes of `notification`, dated `now`.
  public static func build(
    _ notification: AlertNotification, settings: EmailSettings, now: Timestamp,
    externalURL: String = ""
  ) -> [UInt8] {
    let subject = GroupVariables.render(
      settings.subject ?? defaultSubject, notification, externalURL: externalURL)
    let text = GroupVariables.render(
      settings.text ?? defaultText, notification, externalURL: externalURL)
    let html = GroupVariables.render(
      settings.html ?? defaultHTML, notification, externalURL: externalURL, escape: escapeHTML)
    let boundary =
      "=_atalaya_"
      + MIMEText.base64(Array(notification.id.utf8)).filter {
        $0.isLetter || $0.isNumber
      }
    var lines = [
      "Date: " + MIMEText.date(now),
      "Message-ID: " + messageID(notification, from: settings.from),
      "From: " + settings.from,
      "To: " + settings.to.joined(separator: ",\r\n "),
      "Subject: " + MIMEText.headerValue(subject),
      "MIME-Version: 1.0",
      "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
      "X-Atalaya-Receiver: " + MIMEText.headerSafe(notification.receiver),
      "",
      "This is a MIME message: a text/plain and a text/html part.",
      "",
      "--" + boundary,
    ]
    lines += part("text/plain", text)
    lines.append("--" + boundary)
    lines += part("text/html", html)
    lines.append("--" + boundary + "--")
    lines.append("")
    return Array(lines.joined(separator: "\r\n").utf8)
  }

  private static func part(_ type: String, _ content: String) -> [String] {
    [
      "Content-Type: \(type); charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "",
      MIMEText.quotedPrintable(content),
    ]
  }

  /// `<NOTIFICATION-ID@FROM-DOMAIN>`: unique per notification, the same on every retry.
  public static func messageID(_ notification: AlertNotification, from: String) -> String {
    let domain = from.split(separator: "@").last.map(String.init) ?? "atalaya.invalid"
    let id = notification.id.unicodeScalars.filter {
      ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
        || $0 == "-" || $0 == "." || $0 == "_"
    }
    return "<\(String(String.UnicodeScalarView(id))).atalaya@\(domain)>"
  }

  /// `text` with `& < > " '` as HTML entities.
  public static func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }
}
