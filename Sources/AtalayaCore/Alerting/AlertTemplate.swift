/// The small template language of rule annotations: `{{ .NAME }}` is replaced by
/// a variable, everything else is copied.
///
/// Variables: `value` and `threshold` (formatted for the signal's unit: `5.2%`, `1.3s`,
/// `$12.40`), `signal`, `expr`, and every label of the alert (`provider`, `model`,
/// `budget`, `alertname`, `severity`, rule labels). Prometheus spellings work too:
/// `{{ $value }}`, `{{ $labels.provider }}`, `{{ .labels.provider }}`. A label the
/// alert does not carry renders as an empty string.
public enum AlertTemplate {
  /// Why `template` cannot be rendered (an unterminated or unsupported `{{ … }}`), or nil.
  public static func problem(in template: String) -> String? {
    var problem: String?
    _ = walk(template) { piece in
      if case .invalid(let text) = piece, problem == nil { problem = text }
      return ""
    }
    return problem
  }

  /// `template` with every variable replaced from `variables` (missing ones: empty).
  public static func render(_ template: String, variables: [String: String]) -> String {
    walk(template) { piece in
      switch piece {
      case .variable(let name): variables[name] ?? ""
      case .invalid: ""
      }
    }
  }

  private enum Piece {
    case variable(String)
    case invalid(String)
  }

  private static func walk(_ template: String, _ substitute: (Piece) -> String) -> String {
    var output = ""
    var rest = Substring(template)
    while let open = rest.firstRange(of: "{{") {
      output += rest[..<open.lowerBound]
      let afterOpen = rest[open.upperBound...]
      guard let close = afterOpen.firstRange(of: "}}") else {
        output += substitute(.invalid("unterminated `{{` in template; close it with `}}`"))
        return output
      }
      let inner = afterOpen[..<close.lowerBound].trimmingSpaces()
      if let name = variableName(inner) {
        output += substitute(.variable(name))
      } else {
        output += substitute(
          .invalid(
            "unsupported template `{{ \(inner.prefix(40)) }}`; use `{{ .provider }}`, "
              + "`{{ .model }}`, `{{ .value }}`, `{{ .threshold }}` or `{{ .LABEL }}`"))
      }
      rest = afterOpen[close.upperBound...]
    }
    return output + rest
  }

  /// `.name`, `.labels.name`, `$labels.name`, `$value` → `name` / `value`.
  static func variableName(_ inner: Substring) -> String? {
    var name = inner
    if name == "$value" { return "value" }
    for prefix in [".labels.", "$labels.", "."] where name.hasPrefix(prefix) {
      name = name.dropFirst(prefix.count)
      guard !name.isEmpty,
        name.unicodeScalars.allSatisfy({
          ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9")
            || $0 == "_"
        })
      else { return nil }
      return String(name)
    }
    return nil
  }
}

extension Substring {
  fileprivate func trimmingSpaces() -> Substring {
    var s = self
    while let first = s.first, first.isWhitespace { s = s.dropFirst() }
    while let last = s.last, last.isWhitespace { s = s.dropLast() }
    return s
  }
}
