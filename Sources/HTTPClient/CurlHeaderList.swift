import CCurl

/// A request's header fields as libcurl's `curl_slist`, built once and shared by every transfer
/// of that request (libcurl only reads the list, and does not copy it).
///
/// Header names and values never carry CR or LF (no header injection); a name loses any colon.
/// `Expect:` comes first: libcurl must not wait for `100 Continue` on larger bodies.
final class CurlHeaderList: @unchecked Sendable {
  /// The fields the list was built from.
  let headers: [HTTPHeader]
  let list: UnsafeMutablePointer<curl_slist>?

  init(_ headers: [HTTPHeader]) {
    self.headers = headers
    list = Self.build(headers)
  }

  deinit { curl_slist_free_all(list) }

  /// A new list (the caller frees it with `curl_slist_free_all`).
  static func build(_ headers: [HTTPHeader]) -> UnsafeMutablePointer<curl_slist>? {
    var list = curl_slist_append(nil, "Expect:")
    for header in headers {
      // Bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n".
      // Filtering copies, so only fields that need it are filtered.
      func lineBreak(_ byte: UInt8) -> Bool { byte == 13 || byte == 10 }
      func colon(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ":") }
      let value =
        header.value.utf8.contains(where: lineBreak)
        ? removing(lineBreak, from: header.value) : header.value
      let name =
        header.name.utf8.contains(where: { lineBreak($0) || colon($0) })
        ? removing({ lineBreak($0) || colon($0) }, from: header.name) : header.name
      list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
    }
    return list
  }

  /// `text` without the (ASCII) bytes `drop` matches; the rest stays valid UTF-8.
  private static func removing(_ drop: (UInt8) -> Bool, from text: String) -> String {
    String(decoding: text.utf8.filter { !drop($0) }, as: UTF8.self)
  }
}

extension HTTPRequest {
  /// This request with its header list built for libcurl now, for a request sent many
  /// times (a check's probe): its transfers then share the list instead of each building one.
  /// Changing ``headers`` afterwards is safe: a list that no longer matches is not used.
  public func prepared() -> HTTPRequest {
    var copy = self
    copy.headerList = CurlHeaderList(headers)
    return copy
  }
}
