import HTTPTypes
import Hummingbird

/// Refuses writes a web page could make on the operator's behalf. A browser marks
/// every cross-origin request with `Origin` (and `Sec-Fetch-Site`), also the "simple"
/// no-CORS POSTs that need no preflight; curl, SDKs and Prometheus send neither.
/// A write is refused when either header says it comes from another site.
public enum CrossSiteRequest {
  /// Why `headers` (of a request for `authority`, its Host) must be refused, or nil.
  public static func refusal(headers: HTTPFields, authority: String?) -> String? {
    if let site = headers[.secFetchSite]?.lowercased(), site != "same-origin", site != "none" {
      return "cross-site request refused (Sec-Fetch-Site: \(site.prefix(32)))"
    }
    guard let origin = headers[.origin] else { return nil }
    guard let authority, !authority.isEmpty,
      origin == "http://" + authority || origin == "https://" + authority
    else {
      return "cross-origin request refused: Origin is not this agent"
    }
    // DNS rebinding: a page on a name the attacker controls, re-pointed at 127.0.0.1,
    // is "same origin" with its own name. A browser write is taken only when the
    // agent was addressed by IP address or as localhost.
    guard isAddressOrLocalhost(host(of: authority)) else {
      return "browser request refused: address the agent by IP or localhost"
    }
    return nil
  }

  /// The host of `host:port`, `[v6]:port` or a bare host.
  static func host(of authority: String) -> Substring {
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
      return authority[authority.index(after: authority.startIndex)..<close]
    }
    return authority.split(separator: ":", maxSplits: 1).first ?? ""
  }

  static func isAddressOrLocalhost(_ host: Substring) -> Bool {
    if host.lowercased() == "localhost" { return true }
    if host.contains(":") { return host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } }
    let parts = host.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 4
      && parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy(\.isNumber) }
  }
}

extension HTTPField.Name {
  static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
