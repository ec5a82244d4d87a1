/*
 * mysql_api.h
 *		The MySQL/MariaDB client library, loaded with dlopen() on first use.
 *
 * The extension is compiled against MariaDB Connector/C's headers but never
 * linked with it: every call goes through the function table below, filled
 * by dlsym() the first time a mysql or starrocks store is used.  A backend
 * that never touches such a store never maps the library.
 */
#ifndef DS_MYSQL_API_H
#define DS_MYSQL_API_H

/* Connector/C's ma_list.h declares list_* functions that clash with pg_list.h. */
#define list_delete ds_mysql_list_delete
#define list_free ds_mysql_list_free
#define list_length ds_mysql_list_length
#include <mysql.h>
#undef list_delete
#undef list_free
#undef list_length

#define DS_MYSQL_FUNCTIONS(X) \
	X(unsigned long, mysql_get_client_version, (void)) \
	X(MYSQL *, mysql_init, (MYSQL *)) \
	X(int, mysql_options, (MYSQL *, enum mysql_option, const void *)) \
	X(void, mysql_close, (MYSQL *)) \
	X(MYSQL *, mysql_real_connect, (MYSQL *, const char *, const char *, const char *, const char *, unsigned int, const char *, unsigned long)) \
	X(int, mysql_real_connect_start, (MYSQL **, MYSQL *, const char *, const char *, const char *, const char *, unsigned int, const char *, unsigned long)) \
	X(int, mysql_real_connect_cont, (MYSQL **, MYSQL *, int)) \
	X(int, mysql_real_query, (MYSQL *, const char *, unsigned long)) \
	X(int, mysql_real_query_start, (int *, MYSQL *, const char *, unsigned long)) \
	X(int, mysql_real_query_cont, (int *, MYSQL *, int)) \
	X(int, mysql_ping_start, (int *, MYSQL *)) \
	X(int, mysql_ping_cont, (int *, MYSQL *, int)) \
	X(MYSQL_RES *, mysql_use_result, (MYSQL *)) \
	X(int, mysql_fetch_row_start, (MYSQL_ROW *, MYSQL_RES *)) \
	X(int, mysql_fetch_row_cont, (MYSQL_ROW *, MYSQL_RES *, int)) \
	X(int, mysql_free_result_start, (MYSQL_RES *)) \
	X(int, mysql_free_result_cont, (MYSQL_RES *, int)) \
	X(void, mysql_free_result, (MYSQL_RES *)) \
	X(int, mysql_next_result_start, (int *, MYSQL *)) \
	X(int, mysql_next_result_cont, (int *, MYSQL *, int)) \
	X(my_bool, mysql_more_results, (MYSQL *)) \
	X(unsigned long *, mysql_fetch_lengths, (MYSQL_RES *)) \
	X(MYSQL_FIELD *, mysql_fetch_fields, (MYSQL_RES *)) \
	X(unsigned int, mysql_num_fields, (MYSQL_RES *)) \
	X(unsigned int, mysql_field_count, (MYSQL *)) \
	X(my_ulonglong, mysql_affected_rows, (MYSQL *)) \
	X(unsigned int, mysql_warning_count, (MYSQL *)) \
	X(const char *, mysql_info, (MYSQL *)) \
	X(unsigned int, mysql_errno, (MYSQL *)) \
	X(const char *, mysql_error, (MYSQL *)) \
	X(const char *, mysql_sqlstate, (MYSQL *)) \
	X(unsigned long, mysql_thread_id, (MYSQL *)) \
	X(const char *, mysql_get_ssl_cipher, (MYSQL *)) \
	X(const char *, mysql_get_server_info, (MYSQL *)) \
	X(my_socket, mysql_get_socket, (MYSQL *)) \
	X(unsigned int, mysql_get_timeout_value_ms, (const MYSQL *)) \
	X(unsigned long, mysql_real_escape_string, (MYSQL *, char *, const char *, unsigned long)) \
	X(void, mysql_set_local_infile_handler, (MYSQL *, int (*) (void **, const char *, void *), int (*) (void *, char *, unsigned int), void (*) (void *), int (*) (void *, char *, unsigned int), void *)) \
	X(int, mariadb_field_attr, (MARIADB_CONST_STRING *, const MYSQL_FIELD *, enum mariadb_field_attr_t)) \
	X(MYSQL_STMT *, mysql_stmt_init, (MYSQL *)) \
	X(int, mysql_stmt_prepare_start, (int *, MYSQL_STMT *, const char *, unsigned long)) \
	X(int, mysql_stmt_prepare_cont, (int *, MYSQL_STMT *, int)) \
	X(unsigned long, mysql_stmt_param_count, (MYSQL_STMT *)) \
	X(my_bool, mysql_stmt_bind_param, (MYSQL_STMT *, MYSQL_BIND *)) \
	X(int, mysql_stmt_execute_start, (int *, MYSQL_STMT *)) \
	X(int, mysql_stmt_execute_cont, (int *, MYSQL_STMT *, int)) \
	X(MYSQL_RES *, mysql_stmt_result_metadata, (MYSQL_STMT *)) \
	X(my_bool, mysql_stmt_bind_result, (MYSQL_STMT *, MYSQL_BIND *)) \
	X(int, mysql_stmt_fetch_start, (int *, MYSQL_STMT *)) \
	X(int, mysql_stmt_fetch_cont, (int *, MYSQL_STMT *, int)) \
	X(int, mysql_stmt_fetch_column, (MYSQL_STMT *, MYSQL_BIND *, unsigned int, unsigned long)) \
	X(int, mysql_stmt_close_start, (my_bool *, MYSQL_STMT *)) \
	X(int, mysql_stmt_close_cont, (my_bool *, MYSQL_STMT *, int)) \
	X(my_bool, mysql_stmt_close, (MYSQL_STMT *)) \
	X(my_ulonglong, mysql_stmt_affected_rows, (MYSQL_STMT *)) \
	X(unsigned int, mysql_stmt_field_count, (MYSQL_STMT *)) \
	X(unsigned int, mysql_stmt_errno, (MYSQL_STMT *)) \
	X(const char *, mysql_stmt_error, (MYSQL_STMT *)) \
	X(const char *, mysql_stmt_sqlstate, (MYSQL_STMT *))

#define DS_MYSQL_FN_FIELD(ret, name, args) ret (*name) args;

typedef struct DsMysqlApi
{
DS_MYSQL_FUNCTIONS(DS_MYSQL_FN_FIELD)
	/*
	 * OpenSSL's ERR_clear_error() as the library sees it (among its
	 * dependencies), NULL when it uses another TLS library: see
	 * ds_my_before_io() in mysql_int.h.
	 */
	void		(*tls_clear_errors) (void);
} DsMysqlApi;

/* Loads the library on first call; ERROR if no candidate can be used. */
extern const DsMysqlApi *ds_mysql_api(void);

/* From _PG_init: defines datastore.mysql_client_library. */
extern void ds_mysql_define_library(void);

#endif							/* DS_MYSQL_API_H */
