extension ConfigDecoder {
  /// `text` with every `${VAR}` replaced by the variable's value from the
  /// environment and `$$` by a literal `$`. A `$` followed by anything else
  /// stays as it is. Reports every unset or malformed reference and returns nil.
  func interpolate(_ text: String, node: Node, path: String) -> String? {
    guard text.contains("$") else { return text }
    let chars = Array(text.unicodeScalars)
    var result = String.UnicodeScalarView()
    var ok = true
    var i = 0
    while i < chars.count {
      let c = chars[i]
      guard c == "$", i + 1 < chars.count else {
        result.append(c)
        i += 1
        continue
      }
      if chars[i + 1] == "$" {
        result.append("$")
        i += 2
        continue
      }
      guard chars[i + 1] == "{" else {
        result.append(c)
        i += 1
        continue
      }
      guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
        fail(path, at: node, "unterminated `${`; write `$$` for a literal `$`")
        return nil
      }
      let name = String(String.UnicodeScalarView(chars[(i + 2)..<close]))
      if !Self.isVariableName(name) {
        fail(path, at: node, "invalid environment variable name\(Self.shown(name)) in `${…}`")
        ok = false
      } else if let value = environment[name] {
        result.append(contentsOf: value.unicodeScalars)
      } else {
        fail(path, at: node, "environment variable `\(name)` is not set")
        ok = false
      }
      i = close + 1
    }
    return ok ? String(result) : nil
  }

  static func isVariableName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first == "_" || isLetter(first) else {
      return false
    }
    return name.unicodeScalars.allSatisfy { $0 == "_" || isLetter($0) || ($0 >= "0" && $0 <= "9") }
  }

  private static func isLetter(_ c: Unicode.Scalar) -> Bool {
    (c >= "a" && c <= "z") || (c >= "A" && c <= "Z")
  }
}
