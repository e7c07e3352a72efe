#ifndef ODOO_ETL_CCURL_H
#define ODOO_ETL_CCURL_H

// Swift cannot call C variadic functions, and curl_easy_setopt / curl_easy_getinfo are variadic.
// These shims give each argument type its own non-variadic entry point; Swift calls only these.

#include <curl/curl.h>
#include <stddef.h>

/// The shape shared by CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION and CURLOPT_READFUNCTION.
typedef size_t (*ccurl_data_callback)(char *buffer, size_t size, size_t count, void *context);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
/// libcurl copies strings passed here (except CURLOPT_POSTFIELDS, which takes ccurl_easy_setopt_pointer).
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_easy_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback value);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
/// The string belongs to the handle and stays valid until the next transfer or cleanup.
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);

/// curl_global_init(CURL_GLOBAL_DEFAULT): the flag macro is not importable into Swift.
CURLcode ccurl_global_init_default(void);

#endif
