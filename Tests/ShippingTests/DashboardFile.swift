import Foundation

/// dashboards/atalaya-overview.json, read with JSONSerialization.
struct DashboardFile {
  /// One panel (rows included) and its queries.
  struct Panel {
    var id: Int?
    var type: String
    var title: String
    var datasourceUID: String?
    var targets: [(refId: String, expr: String, datasourceUID: String?)]
    var exprs: [String] { targets.map(\.expr) }
  }

  /// One templating variable.
  struct Variable {
    var name: String
    var type: String
    var query: String
    var multi: Bool
    var includeAll: Bool
    var allValue: String?
    var datasourceUID: String?
  }

  var json: [String: Any]
  var panels: [Panel]
  var variables: [Variable]

  static func load() throws -> DashboardFile {
    let data = try Data(contentsOf: URL(fileURLWithPath: ShippingFiles.dashboard))
    guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw DashboardFileError("the dashboard is not a JSON object")
    }
    var panels: [Panel] = []
    func collect(_ list: [[String: Any]]) {
      for p in list {
        let targets = (p["targets"] as? [[String: Any]] ?? []).map {
          (
            refId: $0["refId"] as? String ?? "", expr: $0["expr"] as? String ?? "",
            datasourceUID: ($0["datasource"] as? [String: Any])?["uid"] as? String
          )
        }
        panels.append(
          Panel(
            id: p["id"] as? Int, type: p["type"] as? String ?? "",
            title: p["title"] as? String ?? "",
            datasourceUID: (p["datasource"] as? [String: Any])?["uid"] as? String, targets: targets)
        )
        collect(p["panels"] as? [[String: Any]] ?? [])
      }
    }
    collect(json["panels"] as? [[String: Any]] ?? [])
    let list = (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
    let variables = list.map { v -> Variable in
      let query: String
      if let q = v["query"] as? String {
        query = q
      } else {
        query = (v["query"] as? [String: Any])?["query"] as? String ?? ""
      }
      return Variable(
        name: v["name"] as? String ?? "", type: v["type"] as? String ?? "", query: query,
        multi: v["multi"] as? Bool ?? false, includeAll: v["includeAll"] as? Bool ?? false,
        allValue: v["allValue"] as? String,
        datasourceUID: (v["datasource"] as? [String: Any])?["uid"] as? String)
    }
    return DashboardFile(json: json, panels: panels, variables: variables)
  }

  /// The panels that query Prometheus (not rows).
  var queryPanels: [Panel] { panels.filter { $0.type != "row" } }

  /// `expr` with the template variables set the way Grafana would for "All" and a 1 s scrape:
  /// `$provider` and `$model` to `.*`, `$__rate_interval` to 1m.
  static func substitute(_ expr: String) -> String {
    var e = expr
    for (variable, value) in [
      ("${provider}", ".*"), ("${model}", ".*"), ("$provider", ".*"), ("$model", ".*"),
      ("$__rate_interval", "1m"), ("$__interval", "15s"), ("$__range", "1h"),
    ] {
      e = e.replacingOccurrences(of: variable, with: value)
    }
    return e
  }
}

struct DashboardFileError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
