/// Text from the network made safe to print on a terminal: control characters (escape
/// sequences, carriage returns, C1 controls) and bidirectional overrides become spaces,
/// so a silence's comment or an error message cannot move the cursor, recolour the
/// screen or reorder what the operator reads.
enum TerminalText {
  static func safe(_ text: String, keepNewlines: Bool = false) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      let v = scalar.value
      let control = v < 0x20 || (0x7F...0x9F).contains(v)
      let bidi =
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E
        || v == 0x200F || v == 0x061C
      if (control && !(keepNewlines && v == 0x0A)) || bidi {
        out.append(" ")
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
