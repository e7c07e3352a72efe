#ifndef ODOO_ETL_CCURL_H
#define ODOO_ETL_CCURL_H
#include <curl/curl.h>
#endif
