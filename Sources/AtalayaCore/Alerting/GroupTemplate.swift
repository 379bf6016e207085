/// The template language of receiver bodies and subjects (webhook `body_template`,
/// email `subject`, `text`, `html`): the annotations' language (``AlertTemplate``) over a
/// whole notification group, plus three small additions:
///
/// - `{{ json .NAME }}` writes the variable as a JSON string literal, quotes included;
/// - `{{ range .alerts }}…{{ end }}` repeats its body once per alert, where the alert's
///   own variables (its labels, annotations, `status`, `value`, …) come first;
/// - `{{ comma }}` inside a range writes `,` before every alert but the first, for JSON lists.
///
/// A variable nobody set renders empty, as in annotations.
public struct GroupTemplate: Sendable, Equatable {
  /// One parsed piece of a template.
  indirect enum Piece: Sendable, Equatable {
    case text(String)
    case variable(String, json: Bool)
    case range([Piece])
    case comma
  }

  /// Why a template cannot be used, and where (a character offset into its text).
  public struct Problem: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
  }

  /// The template as written.
  public let source: String
  let pieces: [Piece]

  public static func == (lhs: GroupTemplate, rhs: GroupTemplate) -> Bool {
    lhs.source == rhs.source
  }

  /// Parses `source`; a problem points at the `{{` of the offending action.
  public static func parse(_ source: String) -> Result<GroupTemplate, Problem> {
    var parser = Parser(chars: Array(source))
    switch parser.pieces(inRange: false) {
    case .success(let pieces): return .success(GroupTemplate(source: source, pieces: pieces))
    case .failure(let problem): return .failure(problem)
    }
  }

  /// A template known to be valid (built-in defaults); traps on a bad one.
  public init(valid source: String) {
    guard case .success(let template) = Self.parse(source) else {
      preconditionFailure("invalid built-in template")
    }
    self = template
  }

  private init(source: String, pieces: [Piece]) {
    self.source = source
    self.pieces = pieces
  }

  /// The text: `variables` hold the group's values, `alerts` each alert's (for
  /// `range`); `escape` is applied to every plain `{{ .NAME }}` value (HTML bodies
  /// escape, JSON bodies use `json`).
  public func render(
    variables: [String: String], alerts: [[String: String]],
    escape: (String) -> String = { $0 }
  ) -> String {
    var output = ""
    Self.render(
      pieces, lookup: { variables[$0] }, alerts: alerts, first: true, escape: escape,
      into: &output)
    return output
  }

  private static func render(
    _ pieces: [Piece], lookup: (String) -> String?, alerts: [[String: String]], first: Bool,
    escape: (String) -> String, into output: inout String
  ) {
    for piece in pieces {
      switch piece {
      case .text(let text): output += text
      case .variable(let name, let json):
        let value = lookup(name) ?? ""
        output += json ? JSONValue.string(value).encoded : escape(value)
      case .comma: if !first { output += "," }
      case .range(let body):
        for (index, alert) in alerts.enumerated() {
          render(
            body, lookup: { alert[$0] ?? lookup($0) }, alerts: [], first: index == 0,
            escape: escape, into: &output)
        }
      }
    }
  }

  private struct Parser {
    let chars: [Character]
    var index = 0

    mutating func pieces(inRange: Bool) -> Result<[Piece], Problem> {
      var pieces: [Piece] = []
      var text = ""
      while index < chars.count {
        guard isOpen(at: index) else {
          text.append(chars[index])
          index += 1
          continue
        }
        let start = index
        guard let close = closeIndex(from: index + 2) else {
          return .failure(
            Problem(offset: start, message: "unterminated `{{` in template; close it with `}}`"))
        }
        let words = String(chars[(index + 2)..<close]).split(whereSeparator: \.isWhitespace)
        let inner = words.joined(separator: " ")
        index = close + 2
        if !text.isEmpty {
          pieces.append(.text(text))
          text = ""
        }
        switch words.first {
        case "end" where words.count == 1:
          guard inRange else {
            return .failure(Problem(offset: start, message: "`{{ end }}` without a `{{ range }}`"))
          }
          return .success(pieces)
        case "comma" where words.count == 1:
          guard inRange else {
            return .failure(
              Problem(offset: start, message: "`{{ comma }}` belongs inside `{{ range .alerts }}`"))
          }
          pieces.append(.comma)
        case "range":
          guard words.count == 2, words[1] == ".alerts" else {
            return .failure(
              Problem(offset: start, message: "only `{{ range .alerts }}` is supported"))
          }
          guard !inRange else {
            return .failure(Problem(offset: start, message: "a `range` cannot be nested"))
          }
          switch self.pieces(inRange: true) {
          case .success(let body): pieces.append(.range(body))
          case .failure(var problem):
            if problem.offset == chars.count { problem.offset = start }
            return .failure(problem)
          }
        case "json" where words.count == 2:
          guard let name = AlertTemplate.variableName(words[1]) else {
            return .failure(unsupported(inner, at: start))
          }
          pieces.append(.variable(name, json: true))
        default:
          guard words.count == 1, let name = AlertTemplate.variableName(Substring(inner)) else {
            return .failure(unsupported(inner, at: start))
          }
          pieces.append(.variable(name, json: false))
        }
      }
      if !text.isEmpty { pieces.append(.text(text)) }
      if inRange {
        return .failure(
          Problem(offset: chars.count, message: "`{{ range .alerts }}` needs a `{{ end }}`"))
      }
      return .success(pieces)
    }

    func isOpen(at i: Int) -> Bool {
      i + 1 < chars.count && chars[i] == "{" && chars[i + 1] == "{"
    }

    func closeIndex(from i: Int) -> Int? {
      var j = i
      while j + 1 < chars.count {
        if chars[j] == "}" && chars[j + 1] == "}" { return j }
        j += 1
      }
      return nil
    }

    func unsupported(_ inner: String, at offset: Int) -> Problem {
      Problem(
        offset: offset,
        message: "unsupported template `{{ \(inner.prefix(40)) }}`; use `{{ .NAME }}`, "
          + "`{{ json .NAME }}`, `{{ range .alerts }}`, `{{ comma }}` or `{{ end }}`")
    }
  }
}
