import CCurl

/// libcurl's process-wide initialisation, done once (a static let is lazily
/// and thread-safely initialised).
enum CurlGlobal {
  static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

  /// Makes sure `curl_global_init` ran.
  static func ensure() { _ = initialized }
}
