extension AlertEngine {
  /// The notifications owed now, per alertname and receiver, marking emitted firing
  /// alerts as notified.
  ///
  /// A (alertname, receiver) group is due when one of its alerts is newly firing for
  /// that receiver, was un-silenced or un-inhibited, is due again (`repeat_interval` for slack, webhook
  /// and console; `resend_interval` for alertmanager) or resolved with a resolve owed.
  /// A due group's notification carries every firing alert that is neither silenced nor inhibited
  /// (alertmanager receivers also keep getting the muted alerts they were already sent) of that alertname
  /// routed to the receiver (as Alertmanager groups do) plus the owed resolves. A receiver
  /// with `severity_at_least` only gets alerts (and resolves) at or above that severity.
  mutating func notifications(
    config: AlertingConfig, resolved: [Resolved], unmuted: Set<String>, at now: Timestamp
  ) -> [AlertNotification] {
    var names = config.rules.map(\.name)
    for name in Set(resolved.map(\.instance.alertname)).sorted() where !names.contains(name) {
      names.append(name)
    }
    let rulesByName = Dictionary(config.rules.map { ($0.name, $0) }) { first, _ in first }
    let validity =
      max(config.evaluationInterval, config.resendInterval) * 4
    var result: [AlertNotification] = []

    for name in names {
      let firing = instances.values
        .filter { $0.alertname == name && $0.state == .firing }
        .sorted { Self.sortKey($0.labels) < Self.sortKey($1.labels) }
      let gone = resolved.filter { $0.instance.alertname == name }
        .sorted { Self.sortKey($0.instance.labels) < Self.sortKey($1.instance.labels) }
      guard !firing.isEmpty || !gone.isEmpty else { continue }
      let routed = rulesByName[name].map(\.receivers) ?? []

      for receiver in config.receivers {
        let isAlertmanager = receiver.kind == .alertmanager
        let targeted =
          rulesByName[name] != nil && (routed.isEmpty || routed.contains(receiver.name))
        // `severity_at_least`: firing alerts and resolves follow the same filter.
        // Muted alerts are held back, except that an alertmanager receiver keeps getting
        // the ones it already has: a firing alert it stops hearing about would resolve
        // there by itself (its endsAt passes) while the condition still holds.
        let firingHere =
          targeted
          ? firing.filter {
            receiver.accepts(severity: $0.labels["severity"] ?? "")
              && (!$0.muted || (isAlertmanager && $0.lastNotified[receiver.name] != nil))
          } : []
        let resolvesHere = gone.filter {
          $0.instance.lastNotified[receiver.name] != nil && (isAlertmanager || config.sendResolved)
            && receiver.accepts(severity: $0.instance.labels["severity"] ?? "")
        }
        let interval = isAlertmanager ? config.resendInterval : config.repeatInterval
        let due =
          !resolvesHere.isEmpty
          || firingHere.contains { instance in
            guard let last = instance.lastNotified[receiver.name] else { return true }
            return unmuted.contains(instance.fingerprint) || now - last >= interval
          }
        guard due else { continue }

        var alerts: [Alert] = []
        for instance in firingHere {
          alerts.append(
            alert(instance, status: .firing, endsAt: isAlertmanager ? now + validity : nil))
          instances[instance.fingerprint]?.lastNotified[receiver.name] = now
        }
        for gone in resolvesHere {
          alerts.append(alert(gone.instance, status: .resolved, endsAt: gone.at))
        }
        sequence &+= 1
        let group = AlertFingerprint.of(["receiver": receiver.name, "alertname": name])
        result.append(
          AlertNotification(
            id: "\(group)-\(Int64((now.seconds * 1000).rounded()))-\(sequence)",
            receiver: receiver.name, groupLabels: ["alertname": name], alerts: alerts,
            createdAt: now))
      }
    }
    return result
  }

  func alert(_ instance: Instance, status: AlertStatus, endsAt: Timestamp?) -> Alert {
    Alert(
      labels: instance.labels, annotations: instance.annotations, status: status,
      startsAt: instance.firedAt ?? instance.activeAt, endsAt: endsAt, value: instance.value,
      fingerprint: instance.fingerprint, generatorURL: generatorURL)
  }

  /// Orders alerts by their labels (provider, model, … as text).
  static func sortKey(_ labels: [String: String]) -> String {
    labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
  }
}
