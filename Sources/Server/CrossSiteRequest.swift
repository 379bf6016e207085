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
    return nil
  }
}

extension HTTPField.Name {
  static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
