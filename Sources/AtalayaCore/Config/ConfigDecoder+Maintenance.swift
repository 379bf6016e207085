extension ConfigDecoder {
  static let maintenanceKeys = [
    "name", "days", "start", "end", "duration", "matchers", "comment",
  ]

  /// `maintenance:`: recurring windows (UTC) that mute matching alerts.
  func maintenanceWindows(_ node: Node, path: String) -> [MaintenanceWindow] {
    guard let items = list(node, path: path, what: "maintenance windows") else { return [] }
    var result: [MaintenanceWindow] = []
    for (index, item) in items.enumerated() {
      let itemPath = Self.element(path, index)
      guard let window = maintenanceWindow(item, path: itemPath) else { continue }
      if result.contains(where: { $0.name == window.name }) {
        fail(
          Self.child(itemPath, "name"), at: item,
          "duplicate maintenance window name \"\(window.name)\"")
        continue
      }
      result.append(window)
    }
    return result
  }

  func maintenanceWindow(_ node: Node, path: String) -> MaintenanceWindow? {
    guard
      let e = entries(
        node, path: path, known: Self.maintenanceKeys, what: "a maintenance window")
    else { return nil }
    let before = errors.count
    var name = ""
    if let n = e.value("name"), let text = nonEmptyString(n, path: e.path("name")) {
      if text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
        name = text
      } else {
        fail(e.path("name"), at: n, "use letters, digits, `-` and `_`\(Self.got(text, of: n))")
      }
    } else if !e.has("name") {
      requireKey("name", in: e, "a maintenance window needs a `name`, e.g. weekly-upgrade")
    }
    var weekdays = Set<MaintenanceWindow.Weekday>()
    if let n = e.value("days"), let items = list(n, path: e.path("days"), what: "days") {
      if items.isEmpty {
        fail(e.path("days"), at: n, "an empty list of days; leave `days` out for every day")
      }
      for (index, item) in items.enumerated() {
        let itemPath = Self.element(e.path("days"), index)
        guard let text = string(item, path: itemPath) else { continue }
        guard let day = MaintenanceWindow.Weekday(name: text) else {
          fail(
            itemPath, at: item,
            "unknown day\(Self.shown(text, of: item)); expected monday … sunday (or mon … sun)")
          continue
        }
        weekdays.insert(day)
      }
    }
    var start: Int?
    if let n = e.value("start") {
      start = clockTime(n, path: e.path("start"))
    } else {
      requireKey("start", in: e, "a maintenance window needs `start` (HH:MM, UTC), e.g. \"02:00\"")
    }
    var length: Duration?
    switch (e.value("end"), e.value("duration")) {
    case (let n?, nil):
      if let end = clockTime(n, path: e.path("end")), let start {
        let minutes = ((end - start) % 1440 + 1440) % 1440
        if minutes == 0 {
          fail(e.path("end"), at: n, "end equals start; use `duration: 24h` for a whole day")
        } else {
          length = .seconds(minutes * 60)
        }
      }
    case (nil, let n?):
      length = duration(
        n, path: e.path("duration"), range: .seconds(60)...MaintenanceWindow.maxLength)
    case (_?, let n?):
      fail(e.path("duration"), at: n, "give `end` or `duration`, not both")
    case (nil, nil):
      requireKey("end", in: e, "a maintenance window needs `end` (HH:MM, UTC) or `duration`")
    }
    var matchers: [LabelMatcher] = []
    if let n = e.value("matchers") { matchers = matcherList(n, path: e.path("matchers")) }
    var comment = ""
    if let n = e.value("comment"), let text = string(n, path: e.path("comment")) { comment = text }
    guard errors.count == before, let start, let length else { return nil }
    return MaintenanceWindow(
      name: name, weekdays: weekdays, start: start, length: length, matchers: matchers,
      comment: comment)
  }

  /// `HH:MM` (24-hour clock) as minutes after midnight.
  func clockTime(_ node: Node, path: String) -> Int? {
    guard let text = string(node, path: path) else { return nil }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    if parts.count == 2, parts[1].count == 2, (1...2).contains(parts[0].count),
      let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m),
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
    {
      return h * 60 + m
    }
    fail(
      path, at: node,
      "expected a time of day HH:MM (24-hour, UTC)\(Self.got(text, of: node)), e.g. \"02:00\"")
    return nil
  }
}
