/// Whether an active alert instance is still waiting out its rule's `for` or firing.
public enum AlertState: String, Sendable, Codable, Equatable, CaseIterable {
  case pending
  case firing
}

/// The alert rule engine: Prometheus' alert lifecycle per alert instance (a rule and
/// one series' labels), and the decision of what to notify, to whom and when.
///
/// A pure value on injected time. ``evaluate(samples:config:at:)`` moves every instance
/// through inactive → pending (condition true, waiting `for`) → firing → resolved and
/// returns the notifications owed *now*; it marks them as emitted in its own state, so
/// the caller must hand them to the outbox and persist this value together with the
/// outbox (both are Codable). A restored engine neither repeats a firing notification
/// already emitted nor forgets a resolve that is owed.
///
/// Rules:
/// - A pending instance whose condition clears (or whose series disappears) is dropped
///   silently. `for: 0` fires at the first true evaluation.
/// - A firing instance whose condition is false or whose series is gone stays firing for
///   `keep_firing_for` (counted from the first such evaluation), then resolves.
/// - A sample that is not finite (NaN, ±Inf) cannot be compared: that series keeps its
///   state unchanged and the rule's evaluation counts as failed.
/// - Instances of a rule that was removed from the config resolve at once.
public struct AlertEngine: Sendable, Codable, Equatable {
  /// One alert instance the engine tracks (pending or firing).
  public struct Instance: Sendable, Codable, Equatable {
    public var alertname: String
    /// The signal of its rule's expression (for formatting the value).
    public var signal: AlertSignal
    /// The full alert labels: series labels, rule labels, `alertname`, `severity`.
    public var labels: [String: String]
    public var fingerprint: String
    public var state: AlertState
    /// When the condition became true (Prometheus' activeAt).
    public var activeAt: Timestamp
    /// When it started firing.
    public var firedAt: Timestamp?
    /// The first evaluation at which a firing instance's condition was false or absent.
    public var keepFiringSince: Timestamp?
    /// The signal's last finite value.
    public var value: Double
    /// Annotations rendered at the last evaluation.
    public var annotations: [String: String]
    /// Whether a silence muted it at the last evaluation.
    public var silenced: Bool
    /// The ids of the silences that muted it (API silences, `maintenance:NAME`,
    /// `config:N`); nil when none did.
    public var silencedBy: [String]?
    /// The fingerprints of the firing alerts that inhibit it; nil when none do.
    public var inhibitedBy: [String]?
    /// Per receiver name: when this instance was last emitted to it as firing.
    public var lastNotified: [String: Timestamp]

    /// Silenced or inhibited: no notifications.
    public var muted: Bool { silenced || inhibitedBy != nil }
  }

  /// Sent as every alert's `generatorURL` (e.g. `http://127.0.0.1:9478/api/v1/alerts`).
  public var generatorURL: String
  /// Active instances by fingerprint.
  public internal(set) var instances: [String: Instance]
  /// The rule names of the last evaluation, in config order (for zero-valued counts).
  public internal(set) var ruleNames: [String]
  /// Rule evaluations so far (one per rule per ``evaluate(samples:config:at:)``).
  public internal(set) var evaluationsTotal: UInt64
  /// Rule evaluations that met a sample that could not be compared (NaN, ±Inf).
  public internal(set) var evaluationFailuresTotal: UInt64
  public internal(set) var lastEvaluationAt: Timestamp?
  /// Numbers notifications, so their ids are unique and deterministic.
  var sequence: UInt64

  public init(generatorURL: String = "") {
    self.generatorURL = generatorURL
    instances = [:]
    ruleNames = []
    evaluationsTotal = 0
    evaluationFailuresTotal = 0
    lastEvaluationAt = nil
    sequence = 0
  }

  /// An instance that resolved in this evaluation, with the time it resolved.
  struct Resolved {
    var instance: Instance
    var at: Timestamp
  }

  /// Evaluates every rule of `config` over `samples` at `now` and returns what must be
  /// sent now, one notification per (alertname, receiver) at most.
  public mutating func evaluate(
    samples: [SignalSample], config: AlertingConfig, at now: Timestamp
  ) -> [AlertNotification] {
    var bySignal: [AlertSignal: [SignalSample]] = [:]
    for sample in samples { bySignal[sample.signal, default: []].append(sample) }
    var resolved: [Resolved] = []
    let previouslyMuted = Set(instances.values.filter(\.muted).map(\.fingerprint))

    for rule in config.rules {
      evaluationsTotal &+= 1
      var failed = false
      var seen = Set<String>()
      for sample in bySignal[rule.expr.signal] ?? [] {
        let labels = Self.alertLabels(
          rule: rule, series: sample.labels, external: config.externalLabels)
        let fingerprint = AlertFingerprint.of(labels)
        guard seen.insert(fingerprint).inserted else { continue }
        guard sample.value.isFinite else {
          failed = true
          continue
        }
        if rule.expr.matches(sample.value)
          && rule.expr.conjuncts.allSatisfy({ c in
            bySignal[c.signal]?.contains { $0.labels == sample.labels && c.matches($0.value) }
              ?? false
          })
        {
          conditionTrue(rule, labels: labels, fingerprint: fingerprint, value: sample.value, now)
        } else if let r = conditionFalse(rule, fingerprint: fingerprint, value: sample.value, now) {
          resolved.append(r)
        }
      }
      if failed { evaluationFailuresTotal &+= 1 }
      let absent = instances.values.filter {
        $0.alertname == rule.name && !seen.contains($0.fingerprint)
      }
      for instance in absent {
        if let r = conditionFalse(rule, fingerprint: instance.fingerprint, value: nil, now) {
          resolved.append(r)
        }
      }
    }

    let ruleNames = config.rules.map(\.name)
    for instance in instances.values where !ruleNames.contains(instance.alertname) {
      instances[instance.fingerprint] = nil
      if instance.state == .firing { resolved.append(Resolved(instance: instance, at: now)) }
    }

    let rulesByName = Dictionary(config.rules.map { ($0.name, $0) }) { first, _ in first }
    var unmuted = Set<String>()
    let inhibitions = config.inhibitRules.inhibitions(
      instances.values.map {
        InhibitionCandidate(
          fingerprint: $0.fingerprint, labels: $0.labels, firing: $0.state == .firing)
      })
    for (fingerprint, var instance) in instances {
      guard let rule = rulesByName[instance.alertname] else { continue }
      instance.annotations = Self.annotations(
        rule: rule, labels: instance.labels, value: instance.value)
      let silencers = config.silences.filter { $0.mutes(instance.labels, at: now) }
      instance.silenced = !silencers.isEmpty
      let ids = silencers.map(\.id).filter { !$0.isEmpty }
      instance.silencedBy = ids.isEmpty ? nil : ids
      instance.inhibitedBy = inhibitions[fingerprint]
      if previouslyMuted.contains(fingerprint) && !instance.muted {
        unmuted.insert(fingerprint)
      }
      instances[fingerprint] = instance
    }

    self.ruleNames = ruleNames
    lastEvaluationAt = now
    return notifications(
      config: config, resolved: resolved, unmuted: unmuted, at: now)
  }

  // MARK: Lifecycle steps

  private mutating func conditionTrue(
    _ rule: AlertRule, labels: [String: String], fingerprint: String, value: Double,
    _ now: Timestamp
  ) {
    guard var instance = instances[fingerprint] else {
      let firing = rule.forDuration <= .zero
      instances[fingerprint] = Instance(
        alertname: rule.name, signal: rule.expr.signal, labels: labels, fingerprint: fingerprint,
        state: firing ? .firing : .pending, activeAt: now, firedAt: firing ? now : nil,
        keepFiringSince: nil, value: value, annotations: [:], silenced: false, silencedBy: nil,
        inhibitedBy: nil, lastNotified: [:])
      return
    }
    instance.value = value
    instance.signal = rule.expr.signal
    instance.keepFiringSince = nil
    if instance.state == .pending, now - instance.activeAt >= rule.forDuration {
      instance.state = .firing
      instance.firedAt = now
    }
    instances[fingerprint] = instance
  }

  /// The condition is false (`value` set) or the series is absent (`value` nil).
  /// Returns the instance if it resolved.
  private mutating func conditionFalse(
    _ rule: AlertRule, fingerprint: String, value: Double?, _ now: Timestamp
  ) -> Resolved? {
    guard var instance = instances[fingerprint] else { return nil }
    if let value { instance.value = value }
    guard instance.state == .firing else {
      instances[fingerprint] = nil
      return nil
    }
    if rule.keepFiringFor > .zero {
      let since = instance.keepFiringSince ?? now
      instance.keepFiringSince = since
      if now - since < rule.keepFiringFor {
        instances[fingerprint] = instance
        return nil
      }
    }
    instances[fingerprint] = nil
    instance.annotations = Self.annotations(
      rule: rule, labels: instance.labels, value: instance.value)
    return Resolved(instance: instance, at: now)
  }

  // MARK: Labels and annotations

  /// Series labels, overridden by the rule's labels, the external labels where the name
  /// is still free, then `alertname` and `severity`.
  static func alertLabels(
    rule: AlertRule, series: [String: String], external: [String: String] = [:]
  ) -> [String: String] {
    var labels = series
    for (name, value) in rule.labels { labels[name] = value }
    for (name, value) in external where labels[name] == nil { labels[name] = value }
    labels["alertname"] = rule.name
    labels["severity"] = rule.severity
    return labels
  }

  /// The rule's annotations rendered for one instance, with a default `summary`.
  static func annotations(rule: AlertRule, labels: [String: String], value: Double)
    -> [String: String]
  {
    let unit = rule.expr.signal.unit
    var variables = labels
    variables["value"] = unit.format(value)
    variables["threshold"] = unit.format(rule.expr.value)
    variables["signal"] = rule.expr.signal.rawValue
    variables["expr"] = rule.expr.text
    var result = rule.annotations.mapValues { AlertTemplate.render($0, variables: variables) }
    // The value in its unit (23.0%, 1.3s, $12.40), shown by receivers.
    if result["value"] == nil { result["value"] = unit.format(value) }
    if result["summary"] == nil {
      result["summary"] =
        "\(seriesName(labels)): \(rule.expr.signal.rawValue) is \(unit.format(value)) "
        + "(\(rule.expr.op.rawValue) \(unit.format(rule.expr.value)))"
    }
    return result
  }

  /// `provider/model`, `provider`, `budget NAME`, or the labels, for messages.
  static func seriesName(_ labels: [String: String]) -> String {
    switch (labels["provider"], labels["model"], labels["budget"]) {
    case (let provider?, let model?, _): return "\(provider)/\(model)"
    case (let provider?, nil, _): return provider
    case (nil, _, let budget?): return "budget \(budget)"
    default:
      let rest = labels.filter { $0.key != "alertname" && $0.key != "severity" }
      return rest.isEmpty
        ? "all"
        : rest.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
  }
}
