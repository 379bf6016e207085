#ifndef ATALAYA_CCURL_SHIM_H
#define ATALAYA_CCURL_SHIM_H

#include <curl/curl.h>

/*
 * Typed wrappers around libcurl's variadic setopt/getinfo functions, which
 * Swift cannot call directly. One wrapper per argument type.
 */

/* Write/header callback: (data, size, nmemb, userdata) -> bytes consumed. */
typedef size_t (*atalaya_write_callback)(char *data, size_t size, size_t nmemb, void *userdata);

/* Read callback (uploads, SMTP messages): (buffer, size, nitems, userdata) -> bytes written. */
typedef size_t (*atalaya_read_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

static inline CURLcode atalaya_easy_setopt_read_callback(CURL *easy, atalaya_read_callback callback) {
    return curl_easy_setopt(easy, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode atalaya_easy_setopt_long(CURL *easy, CURLoption option, long value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode atalaya_easy_setopt_off_t(CURL *easy, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode atalaya_easy_setopt_string(CURL *easy, CURLoption option, const char *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode atalaya_easy_setopt_pointer(CURL *easy, CURLoption option, void *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode atalaya_easy_setopt_slist(CURL *easy, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(easy, option, value);
}

static inline CURLcode atalaya_easy_setopt_write_callback(CURL *easy, atalaya_write_callback callback) {
    return curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode atalaya_easy_setopt_header_callback(CURL *easy, atalaya_write_callback callback) {
    return curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode atalaya_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) {
    return curl_easy_getinfo(easy, info, value);
}

/* For the CURLINFO_*_TIME_T timings (microseconds) and sizes. */
static inline CURLcode atalaya_easy_getinfo_off_t(CURL *easy, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLcode atalaya_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value) {
    return curl_easy_getinfo(easy, info, value);
}

static inline CURLMcode atalaya_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/* The result code of a CURLMSG_DONE message (an anonymous union member). */
static inline CURLcode atalaya_msg_result(const CURLMsg *message) {
    return message->data.result;
}

#endif
