extension ConfigDecoder {
  static let sloKeys = ["name", "target", "period", "providers", "models"]
  /// SLO periods: the history keeps 90 days.
  static let sloPeriod: ClosedRange<Duration> = .seconds(3600)...(.seconds(90 * 86_400))
  static let closeAfter: ClosedRange<Duration> = .seconds(0)...(.seconds(24 * 3600))

  /// `slos:` and `incidents:`.
  func decodeHistory(_ e: Entries, into config: inout AtalayaConfig) {
    if let n = e.value("incidents"),
      let i = entries(n, path: "incidents", known: ["close_after"], what: "incident settings"),
      let v = i.value("close_after"),
      let d = duration(v, path: i.path("close_after"), range: Self.closeAfter)
    {
      config.incidents.closeAfter = d
    }
    guard let n = e.value("slos"), let items = list(n, path: "slos", what: "SLOs") else { return }
    var seen: [String: Int] = [:]
    for (index, item) in items.enumerated() {
      let path = Self.element("slos", index)
      guard let slo = self.slo(item, path: path, config: config) else { continue }
      if let line = seen[slo.name] {
        fail(
          Self.child(path, "name"), at: item,
          "duplicate SLO name `\(slo.name)` (first at line \(line))")
        continue
      }
      seen[slo.name] = item.mark?.line ?? 0
      config.slos.append(slo)
    }
  }

  func slo(_ node: Node, path: String, config: AtalayaConfig) -> SLOConfig? {
    guard let e = entries(node, path: path, known: Self.sloKeys, what: "an SLO") else { return nil }
    var slo = SLOConfig(name: "", target: 0.99)
    var ok = true
    if let n = e.value("name"), let name = nonEmptyString(n, path: e.path("name")) {
      if Self.isValidName(name) {
        slo.name = name
      } else {
        fail(e.path("name"), at: n, "invalid SLO name\(Self.shown(name, of: n)); use [a-z0-9_-]+")
        ok = false
      }
    } else {
      if !e.has("name") { requireKey("name", in: e, "an SLO needs a `name`") }
      ok = false
    }
    if let n = e.value("target") {
      if let v = percentage(n, path: e.path("target")) {
        if v >= 1 {
          fail(e.path("target"), at: n, "a target of 100% leaves no error budget; use e.g. 99.9%")
          ok = false
        } else {
          slo.target = v
        }
      } else {
        ok = false
      }
    } else {
      requireKey("target", in: e, "an SLO needs a `target`, e.g. 99.5%")
      ok = false
    }
    if let n = e.value("period") {
      if let d = duration(n, path: e.path("period"), range: Self.sloPeriod) {
        slo.period = d
      } else {
        ok = false
      }
    }
    let providers = Set(config.providers.map(\.name))
    if let n = e.value("providers"),
      let items = list(n, path: e.path("providers"), what: "provider names")
    {
      for (i, item) in items.enumerated() {
        let itemPath = Self.element(e.path("providers"), i)
        guard let name = nonEmptyString(item, path: itemPath) else { continue }
        guard providers.contains(name) else {
          var message = "no provider named `\(name)`"
          if let s = KeySuggestion.closest(to: name, in: providers.sorted()) {
            message += " (did you mean `\(s)`?)"
          }
          fail(itemPath, at: item, message)
          ok = false
          continue
        }
        slo.providers.append(name)
      }
    }
    if let n = e.value("models"), let items = list(n, path: e.path("models"), what: "model ids") {
      let models = Set(
        config.allChecks.filter {
          slo.providers.isEmpty || slo.providers.contains($0.provider.name)
        }
        .map(\.check.model))
      for (i, item) in items.enumerated() {
        let itemPath = Self.element(e.path("models"), i)
        guard let model = nonEmptyString(item, path: itemPath) else { continue }
        guard models.contains(model) else {
          fail(itemPath, at: item, "no chat check of the SLO's providers probes `\(model)`")
          ok = false
          continue
        }
        slo.models.append(model)
      }
    }
    if ok,
      !config.allChecks.contains(where: { slo.covers(provider: $0.provider.name, check: $0.check) })
    {
      fail(path, at: node, "the SLO covers no chat check")
      ok = false
    }
    return ok ? slo : nil
  }
}
