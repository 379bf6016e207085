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
  public static let probeDurationBuckets: [Double] = [
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120,
  ]

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
    windowSuccessRatio, windowLatencySeconds, circuitState, providerStatus,
    rateLimitRemaining, rateLimitResetSeconds, tokensTotal,
    buildInfo, configLastReloadSuccessful, configLastReloadSuccessTimestampSeconds,
    alerts, ruleEvaluationsTotal, ruleEvaluationFailuresTotal,
    notificationsTotal, notificationQueueLength, notificationLatencySeconds,
    processResidentMemoryBytes, processVirtualMemoryBytes, processCPUSecondsTotal,
    processOpenFDs, processMaxFDs, processStartTimeSeconds,
  ]
}
