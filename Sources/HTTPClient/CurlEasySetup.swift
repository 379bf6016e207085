import AtalayaCore
import CCurl

/// Configures an easy handle for a transfer and reads its results (loop thread).
enum CurlEasySetup {
  /// Sets every option for `transfer` on `easy`; the first failing code wins.
  static func configure(_ easy: UnsafeMutableRawPointer, for transfer: CurlTransfer) -> CURLcode {
    let request = transfer.request
    let userdata = Unmanaged.passUnretained(transfer).toOpaque()
    // The first failing code; no per-probe collection of results.
    var failed = CURLE_OK
    func note(_ code: CURLcode) { if failed == CURLE_OK { failed = code } }
    func long(_ option: CURLoption, _ value: Int) {
      note(atalaya_easy_setopt_long(easy, option, value))
    }
    func string(_ option: CURLoption, _ value: String) {
      note(value.withCString { atalaya_easy_setopt_string(easy, option, $0) })
    }

    string(CURLOPT_URL, request.url)
    long(CURLOPT_NOSIGNAL, 1)
    long(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
    long(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout ?? request.timeout))
    note(atalaya_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer))
    transfer.errorBuffer[0] = 0
    if let mail = request.mail {
      note(configureMail(easy, mail: mail, for: transfer, userdata: userdata))
      return failed
    }
    string(CURLOPT_PROTOCOLS_STR, "http,https")
    long(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
    string(CURLOPT_ACCEPT_ENCODING, "")
    string(CURLOPT_USERAGENT, transfer.userAgent)
    note(atalaya_easy_setopt_write_callback(easy, curlWriteCallback))
    note(atalaya_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userdata))
    note(atalaya_easy_setopt_header_callback(easy, curlHeaderCallback))
    note(atalaya_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, userdata))

    let method = request.method
    let isUppercase = !method.utf8.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    switch isUppercase ? method : method.uppercased() {
    case "GET" where request.body == nil:
      long(CURLOPT_HTTPGET, 1)
    case "HEAD":
      long(CURLOPT_NOBODY, 1)
    case "POST":
      long(CURLOPT_POST, 1)
      note(setBody(request.body ?? [], easy: easy))
    default:
      string(CURLOPT_CUSTOMREQUEST, request.method)
      if let body = request.body { note(setBody(body, easy: easy)) }
    }

    // The request's prepared list when it still matches its headers, else one for this
    // transfer alone (freed with the transfer).
    if let old = transfer.headerList {
      curl_slist_free_all(old)
      transfer.headerList = nil
    }
    let list: UnsafeMutablePointer<curl_slist>?
    if let prepared = request.headerList, prepared.headers == request.headers {
      list = prepared.list
    } else {
      list = CurlHeaderList.build(request.headers)
      transfer.headerList = list
    }
    note(atalaya_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list))
    return failed
  }

  /// An SMTP submission: envelope, credentials, TLS policy and the message as an upload.
  /// Server replies are not kept as headers; the status is the last reply code.
  private static func configureMail(
    _ easy: UnsafeMutableRawPointer, mail: MailEnvelope, for transfer: CurlTransfer,
    userdata: UnsafeMutableRawPointer
  ) -> CURLcode {
    var failed = CURLE_OK
    func note(_ code: CURLcode) { if failed == CURLE_OK { failed = code } }
    func string(_ option: CURLoption, _ value: String) {
      note(value.withCString { atalaya_easy_setopt_string(easy, option, $0) })
    }
    string(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
    string(CURLOPT_MAIL_FROM, "<\(mail.from)>")
    if let old = transfer.recipientList { curl_slist_free_all(old) }
    var list: UnsafeMutablePointer<curl_slist>?
    for recipient in mail.recipients {
      list = "<\(recipient)>".withCString { curl_slist_append(list, $0) }
    }
    transfer.recipientList = list
    note(atalaya_easy_setopt_slist(easy, CURLOPT_MAIL_RCPT, list))
    let ssl = mail.tls == .required ? CURLUSESSL_ALL : CURLUSESSL_TRY
    note(atalaya_easy_setopt_long(easy, CURLOPT_USE_SSL, Int(ssl.rawValue)))
    if let username = mail.username { string(CURLOPT_USERNAME, username) }
    if let password = mail.password { string(CURLOPT_PASSWORD, password) }
    transfer.uploadOffset = 0
    note(atalaya_easy_setopt_long(easy, CURLOPT_UPLOAD, 1))
    note(
      atalaya_easy_setopt_off_t(
        easy, CURLOPT_INFILESIZE_LARGE, curl_off_t(transfer.request.body?.count ?? 0)))
    note(atalaya_easy_setopt_read_callback(easy, curlReadCallback))
    note(atalaya_easy_setopt_pointer(easy, CURLOPT_READDATA, userdata))
    note(atalaya_easy_setopt_write_callback(easy, curlWriteCallback))
    note(atalaya_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userdata))
    return failed
  }

  private static func setBody(_ body: [UInt8], easy: UnsafeMutableRawPointer) -> CURLcode {
    let size = atalaya_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
    guard size == CURLE_OK else { return size }
    return body.withUnsafeBytes { raw in
      // COPYPOSTFIELDS copies; an empty body still needs a valid pointer.
      guard let base = raw.baseAddress else {
        var nul: CChar = 0
        return atalaya_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, &nul)
      }
      return atalaya_easy_setopt_pointer(
        easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
    }
  }

  private static func milliseconds(_ duration: Duration) -> Int {
    let ms = duration.seconds * 1000
    guard ms.isFinite else { return 0 }
    return max(1, Int(min(ms.rounded(.up), Double(Int32.max))))
  }

  /// The finished transfer's response; `code` is libcurl's result.
  static func response(of transfer: CurlTransfer, easy: UnsafeMutableRawPointer, code: CURLcode)
    -> HTTPResponse
  {
    var response = transfer.partialResponse(error: nil)
    if response.status == 0 {
      var status = 0
      _ = atalaya_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
      response.status = status
    }
    response.timings = PhaseTimings(
      dns: seconds(easy, CURLINFO_NAMELOOKUP_TIME_T),
      connect: seconds(easy, CURLINFO_CONNECT_TIME_T),
      tls: seconds(easy, CURLINFO_APPCONNECT_TIME_T),
      firstByte: seconds(easy, CURLINFO_STARTTRANSFER_TIME_T),
      total: seconds(easy, CURLINFO_TOTAL_TIME_T))
    var version = 0
    _ = atalaya_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
    switch version {
    case CURL_HTTP_VERSION_1_0: response.httpVersion = "1.0"
    case CURL_HTTP_VERSION_1_1: response.httpVersion = "1.1"
    case CURL_HTTP_VERSION_2_0: response.httpVersion = "2"
    case CURL_HTTP_VERSION_3: response.httpVersion = "3"
    default: response.httpVersion = ""
    }
    guard code != CURLE_OK else { return response }
    if code == CURLE_WRITE_ERROR, transfer.bodyTruncated {
      // The status and headers are in: a cut body is only an error if the caller says so.
      if transfer.request.overlongBody == .isCut { return response }
      response.error = TransportError(
        kind: .bodyTooLarge, code: Int32(code.rawValue),
        message: "response body exceeded \(transfer.request.maxBodyBytes) bytes")
      return response
    }
    var message = String(cString: transfer.errorBuffer)
    if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
    response.error = TransportError(
      kind: .from(curlCode: code), code: Int32(code.rawValue), message: message)
    return response
  }

  private static func seconds(_ easy: UnsafeMutableRawPointer, _ info: CURLINFO) -> Double {
    var micros: curl_off_t = 0
    guard atalaya_easy_getinfo_off_t(easy, info, &micros) == CURLE_OK else { return 0 }
    return Double(micros) / 1e6
  }
}

/// libcurl's body callback: hands the bytes to the transfer (userdata).
private let curlWriteCallback: atalaya_write_callback = { data, size, count, userdata in
  let total = size &* count
  guard let data, let userdata, total > 0 else { return total }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
  return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: total)) ? total : 0
}

/// libcurl's read callback: the next bytes of a mail upload (userdata is the transfer).
private let curlReadCallback: atalaya_read_callback = { buffer, size, count, userdata in
  let total = size &* count
  guard let buffer, let userdata, total > 0 else { return 0 }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
  return transfer.readUpload(into: UnsafeMutableRawBufferPointer(start: buffer, count: total))
}

/// libcurl's header callback: one raw header line per call.
private let curlHeaderCallback: atalaya_write_callback = { data, size, count, userdata in
  let total = size &* count
  guard let data, let userdata, total > 0 else { return total }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
  transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: total))
  return total
}
