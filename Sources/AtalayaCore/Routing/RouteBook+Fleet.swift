extension RouteBook {
  /// Evaluates every route from the read models at `now`: probe health (`fleet`), the
  /// application's traffic windows, budgets and silences. Returns the views and the
  /// routes whose choice changed (route, from, to).
  public mutating func evaluateAll(
    fleet: FleetView, traffic: [ModelKey: WindowStats], budgets: [CostView.Budget],
    silences: [Silence], at now: Timestamp
  ) -> (views: [RouteView], changes: [(route: String, from: CandidateView?, to: CandidateView?)]) {
    guard !routes.isEmpty else { return ([], []) }
    // Where each chat check's view is in `fleet` (positions, not copies: a view is large, and
    // this runs at every evaluation tick).
    var checks: [ModelKey: (provider: Int, check: Int)] = [:]
    var listed: [ModelKey: Bool] = [:]
    var status: [String: ProviderStatus] = [:]
    for (pi, p) in fleet.providers.enumerated() {
      status[p.name] = p.status
      for (ci, c) in p.checks.enumerated() {
        if c.check.kind == .chat {
          checks[ModelKey(provider: p.name, model: c.id.model)] = (pi, ci)
        }
        for (model, ok) in c.listedModels { listed[ModelKey(provider: p.name, model: model)] = ok }
      }
    }
    let spent = budgets.filter { $0.remaining <= 0 }
    var views: [RouteView] = []
    var changes: [(String, CandidateView?, CandidateView?)] = []
    let limits = self  // a copy: the closure reads request logs while `evaluate` mutates
    for route in routes {
      let (view, changed) = evaluate(
        route,
        inputs: { c in
          let key = c.key
          let labels = ["provider": c.provider, "model": c.model]
          let inputs = CandidateInputs(
            check: checks[key].map { fleet.providers[$0.provider].checks[$0.check] },
            providerStatus: status[c.provider], usage: traffic[key],
            budgetExhausted: spent.contains {
              $0.config.providers.isEmpty || $0.config.providers.contains(c.provider)
            },
            silenced: silences.contains { $0.selectsRouteCandidates && $0.mutes(labels, at: now) },
            declaredLimitRetry: limits.declaredLimitRetry(c, at: now))
          return (inputs, listed[key])
        }, at: now)
      views.append(view)
      if let from = changed { changes.append((route.name, from, view.choice)) }
    }
    return (views, changes)
  }
}
