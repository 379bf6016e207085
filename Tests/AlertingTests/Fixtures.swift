import Alerting
import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Logging

/// One libcurl loop for every delivery test in the process.
let sharedLoop = CurlMultiLoop()
let sharedTransport = CurlTransport(loop: sharedLoop, userAgent: "atalaya/test")

/// 2027-01-15T08:00:00Z
let t0 = Timestamp(seconds: 1_800_000_000)

let quietLogger: Logger = {
  var logger = Logger(label: "atalaya.alerting.test")
  logger.logLevel = .critical
  return logger
}()

func firingAlert(
  provider: String = "openai", model: String? = "gpt-4o-mini", severity: String = "critical",
  value: Double = 0.23, startsAt: Timestamp = t0, summary: String = "error rate 23.0%"
) -> Alert {
  var labels = ["alertname": "LLMHighErrorRate", "severity": severity, "provider": provider]
  if let model { labels["model"] = model }
  return Alert(
    labels: labels, annotations: ["summary": summary], status: .firing, startsAt: startsAt,
    endsAt: nil, value: value, fingerprint: "fp-\(provider)-\(model ?? "")",
    generatorURL: "http://127.0.0.1:9464/api/v1/alerts")
}

func notification(
  _ id: String, receiver: String = "hook", alerts: [Alert] = [firingAlert()],
  createdAt: Timestamp = t0
) -> AlertNotification {
  AlertNotification(
    id: id, receiver: receiver, groupLabels: ["alertname": "LLMHighErrorRate"], alerts: alerts,
    createdAt: createdAt)
}

func resolved(_ alert: Alert, at time: Timestamp) -> Alert {
  var alert = alert
  alert.status = .resolved
  alert.endsAt = time
  return alert
}
