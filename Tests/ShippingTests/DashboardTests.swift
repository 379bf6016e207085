import Foundation
import Testing

/// The dashboard's structure: importable into Grafana with the datasource as a variable,
/// provider and model variables, and a query in every panel. (Its queries are run against
/// a real Prometheus in ``PrometheusEndToEndTests``.)
@Suite struct DashboardTests {
  @Test func hasSchemaAndIdentity() throws {
    let d = try DashboardFile.load()
    let schema = try #require(d.json["schemaVersion"] as? Int)
    #expect((36...41).contains(schema))
    #expect(d.json["uid"] as? String == "atalaya-overview")
    #expect(d.json["title"] as? String == "Atalaya overview")
    #expect(d.json["id"] == nil, "an exported dashboard must not carry a database id")
  }

  @Test func datasourceProviderAndModelAreVariables() throws {
    let d = try DashboardFile.load()
    let byName = Dictionary(uniqueKeysWithValues: d.variables.map { ($0.name, $0) })
    let ds = try #require(byName["datasource"])
    #expect(ds.type == "datasource" && ds.query == "prometheus")
    let provider = try #require(byName["provider"])
    #expect(provider.query == "label_values(atalaya_provider_status, provider)")
    let model = try #require(byName["model"])
    #expect(model.query.hasPrefix("label_values(") && model.query.hasSuffix(", model)"))
    #expect(model.query.contains("$provider"), "model should follow the provider selection")
    for v in [provider, model] {
      #expect(v.type == "query" && v.multi && v.includeAll && v.allValue == ".*", "\(v.name)")
      #expect(v.datasourceUID == "${datasource}", "\(v.name)")
    }
  }

  @Test func everyPanelQueriesTheDatasourceVariable() throws {
    let d = try DashboardFile.load()
    #expect(d.queryPanels.count >= 15)
    var ids = Set<Int>()
    for panel in d.panels {
      let id = try #require(panel.id, "\(panel.title) has no id")
      #expect(ids.insert(id).inserted, "duplicate panel id \(id)")
    }
    for panel in d.queryPanels {
      #expect(panel.datasourceUID == "${datasource}", "\(panel.title)")
      #expect(!panel.targets.isEmpty, "\(panel.title) has no query")
      #expect(Set(panel.targets.map(\.refId)).count == panel.targets.count, "\(panel.title)")
      for t in panel.targets {
        #expect(!t.expr.isEmpty && t.datasourceUID == "${datasource}", "\(panel.title) \(t.refId)")
      }
    }
  }

  @Test func perCheckPanelsFollowTheVariables() throws {
    let d = try DashboardFile.load()
    for panel in d.queryPanels {
      for expr in panel.exprs {
        // Families labelled by provider and model are filtered by both variables.
        let perCheck = [
          "atalaya_window_", "atalaya_probe", "atalaya_circuit_state", "atalaya_ratelimit_",
          "atalaya_tokens_total", "atalaya_cost_usd_total",
        ]
        if perCheck.contains(where: expr.contains) {
          #expect(
            expr.contains("provider=~\"$provider\"") && expr.contains("model=~\"$model\""),
            "\(panel.title): \(expr)")
        } else if expr.contains("atalaya_provider_status") || expr.contains("atalaya_cost_per_hour")
          || expr.contains("atalaya_account_usage")
        {
          #expect(expr.contains("provider=~\"$provider\""), "\(panel.title): \(expr)")
        }
      }
    }
  }

  @Test func coversWhatTheIssueAsksFor() throws {
    let titles = try DashboardFile.load().queryPanels.map { $0.title.lowercased() }
    for wanted in [
      "provider status", "success ratio", "p95 latency", "time to first token", "probes by result",
      "rate-limit headroom", "cost per hour", "budget used", "budget spent and projected",
      "alerts firing",
    ] {
      #expect(titles.contains { $0.contains(wanted) }, "no panel for \(wanted)")
    }
  }

  @Test func substitutionCoversEveryVariable() throws {
    for panel in try DashboardFile.load().queryPanels {
      for expr in panel.exprs {
        let e = DashboardFile.substitute(expr)
        #expect(!e.contains("$"), "\(panel.title): unsubstituted variable in \(e)")
      }
    }
  }
}
