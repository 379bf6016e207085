extension ConfigDecoder {
  // MARK: Silences

  func silences(_ node: Node, path: String) -> [Silence] {
    guard let items = list(node, path: path, what: "silences") else { return [] }
    var result: [Silence] = []
    for (index, item) in items.enumerated() {
      if var silence = silence(item, path: Self.element(path, index)) {
        silence.id = "config:\(index)"
        result.append(silence)
      }
    }
    return result
  }

  func silence(_ node: Node, path: String) -> Silence? {
    guard let e = entries(node, path: path, known: Self.silenceKeys, what: "a silence") else {
      return nil
    }
    var matchers: [String: String]?
    var labelMatchers: [LabelMatcher] = []
    if let n = e.value("matchers"), case .sequence = n {
      let before = errors.count
      labelMatchers = matcherList(n, path: e.path("matchers"))
      if errors.count == before {
        if labelMatchers.allSatisfy(\.matchesEmpty) {
          fail(
            e.path("matchers"), at: n,
            "a silence needs at least one matcher that an empty label fails (these would mute "
              + "every alert)")
        } else {
          matchers = [:]
        }
      }
    } else if let n = e.value("matchers") {
      let before = errors.count
      let map = labelMap(n, path: e.path("matchers"), what: "matchers")
      if errors.count == before {
        if map.isEmpty {
          fail(
            e.path("matchers"), at: n,
            "a silence needs at least one matcher (it would mute every alert)")
        } else {
          matchers = map
        }
      }
    } else {
      requireKey(
        "matchers", in: e,
        "a silence needs `matchers`, e.g. {provider: ollama} or ['provider=~\"open.*\"']")
    }
    let starts = e.value("starts").flatMap { time($0, path: e.path("starts")) }
    if !e.has("starts") { requireKey("starts", in: e, "a silence needs `starts` (RFC 3339)") }
    let ends = e.value("ends").flatMap { time($0, path: e.path("ends")) }
    if !e.has("ends") { requireKey("ends", in: e, "a silence needs `ends` (RFC 3339)") }
    var comment = ""
    if let n = e.value("comment"), let text = string(n, path: e.path("comment")) {
      comment = text
    }
    guard let matchers, let starts, let ends else { return nil }
    guard ends > starts else {
      fail(
        e.path("ends"), at: e.value("ends"),
        "ends (\(RFC3339.format(ends))) must be after starts (\(RFC3339.format(starts)))")
      return nil
    }
    return Silence(
      matchers: matchers, labelMatchers: labelMatchers, starts: starts, ends: ends,
      comment: comment)
  }

  /// `['provider="openai"', 'model=~"gpt-4.*"']`: Alertmanager's matcher strings.
  func matcherList(_ node: Node, path: String) -> [LabelMatcher] {
    guard let items = list(node, path: path, what: "matchers") else { return [] }
    var result: [LabelMatcher] = []
    for (index, item) in items.enumerated() {
      let itemPath = Self.element(path, index)
      guard let text = string(item, path: itemPath) else { continue }
      do {
        let matcher = try LabelMatcher.parse(text)
        guard Self.isLabelName(matcher.name) else {
          fail(itemPath, at: item, "invalid label name\(Self.shown(matcher.name))")
          continue
        }
        result.append(matcher)
      } catch {
        fail(itemPath, at: item, error.message)
      }
    }
    return result
  }

  /// An RFC 3339 timestamp such as `2026-12-01T00:00:00Z`.
  func time(_ node: Node, path: String) -> Timestamp? {
    guard let text = string(node, path: path) else { return nil }
    guard let time = RFC3339.parse(text) else {
      fail(
        path, at: node,
        "invalid time\(Self.shown(text, of: node)); expected RFC 3339, e.g. 2026-12-01T00:00:00Z")
      return nil
    }
    return time
  }
}
