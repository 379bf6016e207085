import AtalayaCore
import Testing

/// The LibYAML composer that replaced Yams: the tree, positions, aliases, errors and limits.
@Suite struct YAMLComposerTests {
  @Test func composesMappingsSequencesAndScalarsWithPositions() throws {
    let root = try #require(
      try YAML.compose("a: 1\nb:\n  - x\n  - 'y'\n  - \"z\"\nc: |\n  text\nd: {e: f}\n"))
    let mapping = try #require(root.mapping)
    #expect(mapping.map { $0.key.string } == ["a", "b", "c", "d"])
    #expect(root.mark == YAMLMark(line: 1, column: 1))
    #expect(root["a"]?.mark == YAMLMark(line: 1, column: 4))
    let items = try #require(root["b"]?.sequence)
    #expect(items.map(\.string) == ["x", "y", "z"])
    #expect(items.map { $0.scalar?.style } == [.plain, .singleQuoted, .doubleQuoted])
    #expect(items[1].mark == YAMLMark(line: 4, column: 5))
    #expect(root["c"]?.scalar?.style == .literal)
    #expect(root["c"]?.string == "text\n")
    #expect(root["d"]?.mapping?.style == .flow)
    #expect(root["d"]?["e"]?.string == "f")
    #expect(root["missing"] == nil)
  }

  @Test func columnsCountCharactersNotBytes() throws {
    let root = try #require(try YAML.compose("ñandú: é\nx: y\n"))
    #expect(root["ñandú"]?.mark == YAMLMark(line: 1, column: 8))
  }

  @Test func emptyTextHasNoDocument() throws {
    #expect(try YAML.compose("") == nil)
    #expect(try YAML.compose("# only a comment\n") == nil)
    let null = try #require(try YAML.compose("---\n"))
    #expect(null.string == "")
    #expect(null.scalar?.style == .plain)
  }

  @Test func aliasesAreTheNodeTheirAnchorNames() throws {
    let root = try #require(
      try YAML.compose("base: &b {x: 1}\nuse: *b\nagain: &b [2]\nlater: *b\n"))
    #expect(root["use"]?["x"]?.string == "1")
    // The alias is the anchored node, with its position.
    #expect(root["use"]?.mark == YAMLMark(line: 1, column: 7))
    // A later anchor of the same name shadows the first.
    #expect(root["later"]?.array().first?.string == "2")
  }

  @Test func undefinedAndSelfReferringAliasesAreErrors() {
    #expect(
      throws: YAMLError.composer(
        context: nil, problem: "found undefined alias", mark: YAMLMark(line: 1, column: 4))
    ) { try YAML.compose("a: *nope\n") }
    // An anchor is usable once its node is complete.
    #expect(
      throws: YAMLError.composer(
        context: nil, problem: "found undefined alias", mark: YAMLMark(line: 1, column: 8))
    ) { try YAML.compose("a: &x [*x]\n") }
  }

  @Test func repeatedKeysAreReportedSortedAtTheFirstOne() {
    #expect(
      throws: YAMLError.duplicatedKeysInMapping(
        duplicates: ["a", "b"], mark: YAMLMark(line: 2, column: 1))
    ) { try YAML.compose("b: 1\na: 2\nb: 3\na: 4\n") }
    // Quoted or not, the same text is the same key.
    #expect(
      throws: YAMLError.duplicatedKeysInMapping(
        duplicates: ["k"], mark: YAMLMark(line: 1, column: 2))
    ) { try YAML.compose("{k: 1, 'k': 2}") }
    // The same key in different mappings is fine.
    #expect(throws: Never.self) { try YAML.compose("a: {k: 1}\nb: {k: 2}\n") }
  }

  @Test func onlyOneDocument() {
    #expect(
      throws: YAMLError.composer(
        context: .init(
          text: "expected a single document in the stream", mark: YAMLMark(line: 1, column: 1)),
        problem: "but found another document", mark: YAMLMark(line: 2, column: 1))
    ) { try YAML.compose("a: 1\n---\nb: 2\n") }
  }

  @Test func syntaxErrorsHaveLibYAMLsPositions() throws {
    func error(_ text: String) -> YAMLError? {
      do {
        _ = try YAML.compose(text)
        return nil
      } catch { return error }
    }
    guard case .parser(_, _, let mark) = error("a: [1, 2\nb: c\n") else {
      Issue.record("no parser error")
      return
    }
    #expect(mark == YAMLMark(line: 2, column: 2))
    guard case .scanner(let context, let problem, let quoteMark) = error("a: \"open\nb: c\n")
    else {
      Issue.record("no scanner error")
      return
    }
    #expect(problem == "found unexpected end of stream")
    #expect(context?.text == "while scanning a quoted scalar")
    #expect(context?.mark == YAMLMark(line: 1, column: 4))
    #expect(quoteMark.line == 3)
    guard case .scanner(_, let tabProblem, let tabMark) = error("a:\n\tb: c\n") else {
      Issue.record("no scanner error for a tab")
      return
    }
    #expect(tabProblem == "found character that cannot start any token")
    #expect(tabMark == YAMLMark(line: 2, column: 1))
    guard case .reader(let readerProblem, let offset, let value) = error("a: b\u{7}\n") else {
      Issue.record("no reader error")
      return
    }
    #expect(readerProblem == "control characters are not allowed")
    #expect(offset == 4)
    #expect(value == 7)
  }

  @Test func nestingIsBoundedAlsoThroughAliases() {
    let deep = String(repeating: "[", count: 1001) + String(repeating: "]", count: 1001)
    #expect(throws: YAMLError.tooDeep(limit: 1000, mark: YAMLMark(line: 1, column: 1001))) {
      try YAML.compose(deep)
    }
    let fits = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
    #expect(throws: Never.self) { try YAML.compose(fits) }
    // Two 600-deep anchors nested through an alias are 1,200 deep.
    let half = String(repeating: "[", count: 599) + "x" + String(repeating: "]", count: 599)
    let chained =
      "a: &a \(half)\nb: " + String(repeating: "[", count: 599) + "*a"
      + String(repeating: "]", count: 599) + "\n"
    #expect(throws: YAMLError.self) { try YAML.compose(chained) }
    // 4 MiB of brackets: refused, without exhausting the stack.
    let huge = String(repeating: "[", count: 4 << 20)
    #expect(throws: YAMLError.self) { try YAML.compose(huge) }
  }

  @Test func nodeLimitCountsAliasesEachTimeTheyAreUsed() throws {
    var laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...8 {
      let previous = level == 1 ? "a" : "l\(level - 1)"
      laughs +=
        "l\(level): &l\(level) ["
        + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
    }
    let clock = ContinuousClock()
    let start = clock.now
    #expect(throws: YAMLError.tooManyNodes(limit: 200_000)) {
      try YAML.compose(laughs, maxNodes: 200_000)
    }
    #expect(clock.now - start < .seconds(5))
    // Exactly at the limit is fine: a mapping of one pair is three nodes.
    #expect(throws: Never.self) { try YAML.compose("a: b", maxNodes: 3) }
    #expect(throws: YAMLError.tooManyNodes(limit: 2)) { try YAML.compose("a: b", maxNodes: 2) }
  }

  @Test func aSyntaxErrorPastTheNodeLimitIsStillTheErrorReported() {
    let text = "a: [" + Array(repeating: "x", count: 100).joined(separator: ", ") + "]\nb: [\n"
    #expect(throws: (any Error).self) { try YAML.compose(text, maxNodes: 10) }
    do {
      _ = try YAML.compose(text, maxNodes: 10)
    } catch {
      if case .tooManyNodes = error { Issue.record("the syntax error was hidden") }
    }
  }

  @Test func neverTrapsOnOddInput() {
    for text in [
      "\u{0}", "a: \u{0}", "&a", "*", "? [a]\n: b", "!!binary x", "%YAML 1.1\n---\na: b",
      "%YAML 9.9\n---\n", "- &a a\n- *a\n- *a", "{[a]: b, [a]: c}", ":", "'", "|\n  \u{1}",
      "\u{FEFF}a: b", "a:\r\n  b: c\r\n",
    ] {
      _ = try? YAML.compose(text)
    }
  }
}

/// Config errors for YAML that does not compose, word for word what they were with Yams
/// (each expected line was printed by `atalaya check` built with Yams 6.2).
@Suite struct ConfigYAMLErrorTests {
  @Test(arguments: [
    (
      "window: 10m\nproviders: [a, b\nlisten: x\n",
      "atalaya.yaml:3:7: YAML syntax error: did not find expected ',' or ']' (while parsing a "
        + "flow sequence at line 2, column 12)"
    ),
    (
      "providers:\n  - name: a\n   type: b\n",
      "atalaya.yaml:3:4: YAML syntax error: did not find expected '-' indicator (while parsing "
        + "a block collection at line 2, column 3)"
    ),
    (
      "a:\n  b: 1\n c: 2\n",
      "atalaya.yaml:3:2: YAML syntax error: did not find expected key (while parsing a block "
        + "mapping at line 1, column 1)"
    ),
    (
      "listen: \"open\nproviders: []\n",
      "atalaya.yaml:3:1: YAML syntax error: found unexpected end of stream (while scanning a "
        + "quoted scalar at line 1, column 9)"
    ),
    (
      "providers:\n\t- name: a\n",
      "atalaya.yaml:2:1: YAML syntax error: found character that cannot start any token (while "
        + "scanning for the next token at line 2, column 1)"
    ),
    (
      "a: 1\n---\nb: 2\n",
      "atalaya.yaml:2:1: YAML syntax error: but found another document (expected a single "
        + "document in the stream at line 1, column 1)"
    ),
    ("a: &x [*x]\n", "atalaya.yaml:1:8: YAML syntax error: found undefined alias"),
    (
      "%YAML 9.9\n---\na: b\n",
      "atalaya.yaml:1:1: YAML syntax error: found incompatible YAML document"
    ),
    (
      "listen: a\u{7}b\nproviders: []\n",
      "atalaya.yaml:1:10: cannot read YAML: control characters are not allowed"
    ),
    (
      "listen: ñañ\u{7}\n",
      "atalaya.yaml:1:12: cannot read YAML: control characters are not allowed"
    ),
    (
      "listen: a\u{0}b\n", "atalaya.yaml:1:10: cannot read YAML: control characters are not allowed"
    ),
    (
      "b: 1\na: 2\nb: 3\na: 4\n",
      "atalaya.yaml:2:1: key `a`, `b` appears more than once in the same mapping"
    ),
    (
      "providers:\n  - name: a\n    name: b\n",
      "atalaya.yaml:2:5: key `name` appears more than once in the same mapping"
    ),
  ])
  func sameErrorAsYams(yaml: String, expected: String) {
    #expect(configErrors(yaml).map(\.description) == [expected])
  }

  @Test func nestingPastTheLimitIsAnErrorAtTheCollection() {
    let yaml = "providers: " + String(repeating: "[", count: 1000) + "\n"
    #expect(
      configErrors(yaml).map(\.description) == [
        "atalaya.yaml:1:1011: YAML syntax error: collections nested more than 1000 deep (an "
          + "alias counts as what it names)"
      ])
  }

  /// The node limit holds while composing: a 4 MiB list is refused without building it.
  @Test func aLongListIsRefusedAtTheNodeLimit() {
    let yaml = "a: [" + Array(repeating: "a", count: 1_000_000).joined(separator: ",") + "]\n"
    #expect(
      configErrors(yaml).map(\.message) == [
        "the config expands to more than 200000 YAML nodes (aliases count each time they are "
          + "used); write it out or split it"
      ])
  }
}
