import AtalayaCore

/// Every metric family Atalaya exposes, each defined once.
///
/// Adding a family is one `static let` here plus an entry in ``all``.
public enum Catalogue {
  // MARK: Label values

  /// `phase` label values of ``probePhaseSeconds``.
  public static let phases = ["dns", "connect", "tls", "first_byte", "total"]
  /// `quantile` label values of ``windowLatencySeconds``.
  public static let windowQuantiles = ["0.5", "0.9", "0.95", "0.99"]
  /// `direction` label values of ``tokensTotal``.
  public static let tokenDirections = ["input", "output"]
  /// Bucket upper bounds of ``probeDurationSeconds``, in seconds.
  public static let probeDurationBuckets: [Double] = ProbeDurationBuckets.upperBounds

  // MARK: Probes

  public static let probeSuccess = MetricFamily(
    name: "atalaya_probe_success",
    help: "Whether the last probe of the check succeeded (1) or failed (0).",
    type: .gauge, labelNames: ["provider", "model"])

  public static let probeDurationSeconds = MetricFamily(
    name: "atalaya_probe_duration_seconds",
    help: "Total duration of probes (request start to transfer done), in seconds.",
    type: .histogram, labelNames: ["provider", "model"], buckets: probeDurationBuckets)

  public static let probePhaseSeconds = MetricFamily(
    name: "atalaya_probe_phase_seconds",
    help:
      "Time from the start of the last probe's request to the end of each phase, in seconds (cumulative): "
      + "dns = name resolved, connect = TCP connected, tls = TLS handshake done (0 for plain HTTP), "
      + "first_byte = first response byte received, total = transfer done.",
    type: .gauge, labelNames: ["provider", "model", "phase"])

  public static let probeTTFTSeconds = MetricFamily(
    name: "atalaya_probe_ttft_seconds",
    help: "Time to first streamed token of the last probe, in seconds.",
    type: .gauge, labelNames: ["provider", "model"])

  public static let probeHTTPStatus = MetricFamily(
    name: "atalaya_probe_http_status",
    help: "HTTP status code of the last probe's response (0 when no response was received).",
    type: .gauge, labelNames: ["provider", "model"])

  public static let probesTotal = MetricFamily(
    name: "atalaya_probes_total",
    help: "Probes run, by result class.",
    type: .counter, labelNames: ["provider", "model", "result"])

  // MARK: Health windows and circuits

  public static let windowSuccessRatio = MetricFamily(
    name: "atalaya_window_success_ratio",
    help: "Share of successful probes in the rolling health window (0 to 1).",
    type: .gauge, labelNames: ["provider", "model"])

  /// A `summary` because Prometheus reserves the `quantile` label for summaries.
  public static let windowLatencySeconds = MetricFamily(
    name: "atalaya_window_latency_seconds",
    help: "Latency quantiles of the probes in the rolling health window, in seconds.",
    type: .summary, labelNames: ["provider", "model", "quantile"])

  public static let circuitState = MetricFamily(
    name: "atalaya_circuit_state",
    help: "Circuit breaker state of the check: 1 for the current state, 0 for the others.",
    type: .gauge, labelNames: ["provider", "model", "state"])

  public static let circuitOpenReason = MetricFamily(
    name: "atalaya_circuit_open_reason",
    help:
      "Why the check's circuit is open or half-open (1 for the reason, 0 for the others): "
      + "consecutive_failures, error_rate, latency, quota_exhausted or auth; "
      + "no series while the circuit is closed.",
    type: .gauge, labelNames: ["provider", "model", "reason"])

  public static let circuitNextProbeTimestampSeconds = MetricFamily(
    name: "atalaya_circuit_next_probe_timestamp_seconds",
    help:
      "When the check will next be probed while its circuit is open or a Retry-After holds it "
      + "back (Unix time); no series while it is probed normally.",
    type: .gauge, labelNames: ["provider", "model"])

  public static let modelListed = MetricFamily(
    name: "atalaya_model_listed",
    help:
      "Whether a model a `kind: models` check expects is in the provider's model list (1) "
      + "or missing from it (0).",
    type: .gauge, labelNames: ["provider", "model"])

  // MARK: History

  /// `range` label values of the uptime families.
  public static let uptimeRanges = UptimeRange.allCases.map(\.rawValue)

  public static let uptimeRatio = MetricFamily(
    name: "atalaya_uptime_ratio",
    help:
      "Share of successful probes of the check over the range (1h, 24h, 7d, 30d); no sample "
      + "for a range without data (time the agent was not running is no data).",
    type: .gauge, labelNames: ["provider", "model", "range"])

  public static let providerUptimeRatio = MetricFamily(
    name: "atalaya_provider_uptime_ratio",
    help: "Share of successful probes over all of the provider's checks over the range.",
    type: .gauge, labelNames: ["provider", "range"])

  public static let incidentsTotal = MetricFamily(
    name: "atalaya_incidents_total",
    help:
      "Incidents of the provider by impact: degraded counts incidents that opened degraded, "
      + "down every incident that reached down.",
    type: .counter, labelNames: ["provider", "impact"])

  public static let incidentOpen = MetricFamily(
    name: "atalaya_incident_open",
    help: "Whether the provider has an open incident (1) or not (0).",
    type: .gauge, labelNames: ["provider"])

  public static let sloTargetRatio = MetricFamily(
    name: "atalaya_slo_target_ratio",
    help: "The SLO's objective (e.g. 0.995).", type: .gauge, labelNames: ["slo"])

  public static let sloErrorBudgetRemainingRatio = MetricFamily(
    name: "atalaya_slo_error_budget_remaining_ratio",
    help:
      "Error budget left over the SLO's period: 1 untouched, 0 spent, negative overspent.",
    type: .gauge, labelNames: ["slo"])

  public static let sloBurnRate = MetricFamily(
    name: "atalaya_slo_burn_rate",
    help:
      "Error ratio over the window divided by the SLO's allowed error ratio (1 - target); "
      + "1 spends the budget exactly over the period.",
    type: .gauge, labelNames: ["slo", "window"])

  // MARK: Routes

  public static let routeCandidateUsable = MetricFamily(
    name: "atalaya_route_candidate_usable",
    help: "Whether the route's candidate is usable now (1) or skipped (0).",
    type: .gauge, labelNames: ["route", "provider", "model"])

  public static let routeChoice = MetricFamily(
    name: "atalaya_route_choice",
    help: "1 for the candidate the route chooses now, 0 for the others.",
    type: .gauge, labelNames: ["route", "provider", "model"])

  public static let routeUsableCandidates = MetricFamily(
    name: "atalaya_route_usable_candidates",
    help: "How many of the route's candidates are usable now.",
    type: .gauge, labelNames: ["route"])

  public static let providerStatus = MetricFamily(
    name: "atalaya_provider_status",
    help: "Overall status of the provider: 1 for the current status, 0 for the others.",
    type: .gauge, labelNames: ["provider", "status"])

  // MARK: Rate limits and usage

  public static let rateLimitRemaining = MetricFamily(
    name: "atalaya_ratelimit_remaining",
    help: "Remaining rate-limit headroom reported by the provider's response headers.",
    type: .gauge, labelNames: ["provider", "model", "resource"])

  public static let rateLimitResetSeconds = MetricFamily(
    name: "atalaya_ratelimit_reset_seconds",
    help: "Seconds until the provider's rate limit resets, as reported by its response headers.",
    type: .gauge, labelNames: ["provider", "model", "resource"])

  public static let tokensTotal = MetricFamily(
    name: "atalaya_tokens_total",
    help: "Tokens used by probes, as reported by the provider (direction: input or output).",
    type: .counter, labelNames: ["provider", "model", "direction"])

  // MARK: Cost and budgets

  /// `period` label values of ``accountUsageUSD``.
  public static let accountPeriods = ["total", "daily", "weekly", "monthly"]

  public static let costUSDTotal = MetricFamily(
    name: "atalaya_cost_usd_total",
    help:
      "Spend in USD by source: account (the provider's own account), probe (the agent's probes), "
      + "usage (traffic reported to POST /api/v1/usage).",
    type: .counter, labelNames: ["provider", "model", "source"])

  public static let costPerHourUSD = MetricFamily(
    name: "atalaya_cost_per_hour_usd",
    help:
      "Spend of the provider over the last hour, in USD, from its best source (account when polled, "
      + "else probe plus usage).",
    type: .gauge, labelNames: ["provider"])

  public static let priceMissing = MetricFamily(
    name: "atalaya_price_missing",
    help: "1 for a model with spend in tokens but no known price (its cost is not counted).",
    type: .gauge, labelNames: ["provider", "model"])

  public static let accountUsageUSD = MetricFamily(
    name: "atalaya_account_usage_usd",
    help:
      "Credits used as the provider's account reports them (period: total, daily, weekly, monthly).",
    type: .gauge, labelNames: ["provider", "period"])

  public static let accountLimitUSD = MetricFamily(
    name: "atalaya_account_limit_usd",
    help: "Credit limit of the provider's key, when it has one.",
    type: .gauge, labelNames: ["provider"])

  public static let accountLimitRemainingUSD = MetricFamily(
    name: "atalaya_account_limit_remaining_usd",
    help: "Credits left under the key's limit, as the provider's account reports them.",
    type: .gauge, labelNames: ["provider"])

  public static let budgetLimitUSD = MetricFamily(
    name: "atalaya_budget_limit_usd", help: "The budget's limit per period, in USD.",
    type: .gauge, labelNames: ["budget"])

  public static let budgetSpentUSD = MetricFamily(
    name: "atalaya_budget_spent_usd",
    help: "Spend counted against the budget in its current period.",
    type: .gauge, labelNames: ["budget"])

  public static let budgetRemainingUSD = MetricFamily(
    name: "atalaya_budget_remaining_usd",
    help: "Limit minus spend in the current period (negative when over budget).",
    type: .gauge, labelNames: ["budget"])

  public static let budgetUsedRatio = MetricFamily(
    name: "atalaya_budget_used_ratio",
    help: "Spend over limit in the current period (1 = exhausted).",
    type: .gauge, labelNames: ["budget"])

  public static let budgetProjectedSpendUSD = MetricFamily(
    name: "atalaya_budget_projected_spend_usd",
    help:
      "Spend expected at the end of the current period at the last hour's burn rate "
      + "(rolling periods: one whole period at that rate).",
    type: .gauge, labelNames: ["budget"])

  public static let budgetExhaustionSeconds = MetricFamily(
    name: "atalaya_budget_exhaustion_seconds",
    help:
      "Seconds until the budget's limit is reached at the last hour's burn rate; 0 when exhausted, "
      + "absent while nothing is being spent.",
    type: .gauge, labelNames: ["budget"])

  // MARK: Application traffic (usage API)

  public static let usageEventsTotal = MetricFamily(
    name: "atalaya_usage_events_total",
    help: "Requests reported through POST /api/v1/usage, by result class.",
    type: .counter, labelNames: ["provider", "model", "result"])

  public static let usageWindowSuccessRatio = MetricFamily(
    name: "atalaya_usage_window_success_ratio",
    help: "Share of successful reported requests in the rolling window (0 to 1).",
    type: .gauge, labelNames: ["provider", "model"])

  /// A `summary` because Prometheus reserves the `quantile` label for summaries.
  public static let usageWindowLatencySeconds = MetricFamily(
    name: "atalaya_usage_window_latency_seconds",
    help:
      "Latency quantiles of the reported successful requests in the rolling window, in seconds.",
    type: .summary, labelNames: ["provider", "model", "quantile"])

  // MARK: Agent

  public static let buildInfo = MetricFamily(
    name: "atalaya_build_info",
    help: "Constant 1, labelled with the running Atalaya version.",
    type: .gauge, labelNames: ["version"])

  public static let configLastReloadSuccessful = MetricFamily(
    name: "atalaya_config_last_reload_successful",
    help: "Whether the last configuration reload succeeded (1) or failed (0).",
    type: .gauge)

  public static let configLastReloadSuccessTimestampSeconds = MetricFamily(
    name: "atalaya_config_last_reload_success_timestamp_seconds",
    help: "Unix time of the last successful configuration reload.",
    type: .gauge)

  public static let stateWriteFailuresTotal = MetricFamily(
    name: "atalaya_state_write_failures_total",
    help: "State file writes that failed (state.json, cost.json, alerts.json, outbox.json).",
    type: .counter, labelNames: ["file"])

  // MARK: Process

  public static let processResidentMemoryBytes = MetricFamily(
    name: "process_resident_memory_bytes",
    help: "Resident memory size in bytes.",
    type: .gauge)

  public static let processVirtualMemoryBytes = MetricFamily(
    name: "process_virtual_memory_bytes",
    help: "Virtual memory size in bytes.",
    type: .gauge)

  public static let processCPUSecondsTotal = MetricFamily(
    name: "process_cpu_seconds_total",
    help: "Total user and system CPU time spent in seconds.",
    type: .counter)

  public static let processOpenFDs = MetricFamily(
    name: "process_open_fds",
    help: "Number of open file descriptors.",
    type: .gauge)

  public static let processMaxFDs = MetricFamily(
    name: "process_max_fds",
    help: "Maximum number of open file descriptors.",
    type: .gauge)

  public static let processStartTimeSeconds = MetricFamily(
    name: "process_start_time_seconds",
    help: "Start time of the process since unix epoch in seconds.",
    type: .gauge)

  // MARK: All

  /// Every family, in exposition order.
  public static let all: [MetricFamily] = [
    probeSuccess, probeDurationSeconds, probePhaseSeconds, probeTTFTSeconds, probeHTTPStatus,
    probesTotal,
    windowSuccessRatio, windowLatencySeconds, circuitState, circuitOpenReason,
    circuitNextProbeTimestampSeconds, modelListed, providerStatus,
    uptimeRatio, providerUptimeRatio, incidentsTotal, incidentOpen, sloTargetRatio,
    sloErrorBudgetRemainingRatio, sloBurnRate, routeCandidateUsable, routeChoice,
    routeUsableCandidates,
    rateLimitRemaining, rateLimitResetSeconds, tokensTotal,
    costUSDTotal, costPerHourUSD, priceMissing, accountUsageUSD, accountLimitUSD,
    accountLimitRemainingUSD, budgetLimitUSD, budgetSpentUSD, budgetRemainingUSD, budgetUsedRatio,
    budgetProjectedSpendUSD, budgetExhaustionSeconds,
    usageEventsTotal, usageWindowSuccessRatio, usageWindowLatencySeconds,
    buildInfo, configLastReloadSuccessful, configLastReloadSuccessTimestampSeconds,
    alerts, ruleEvaluationsTotal, ruleEvaluationFailuresTotal, silences, maintenanceWindowActive,
    notificationsTotal, notificationQueueLength, notificationLatencySeconds,
    stateWriteFailuresTotal,
    processResidentMemoryBytes, processVirtualMemoryBytes, processCPUSecondsTotal,
    processOpenFDs, processMaxFDs, processStartTimeSeconds,
  ]
}
