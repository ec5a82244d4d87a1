/*
 * mysql_infile.c
 *		LOAD DATA LOCAL INFILE served from memory.
 *
 * The handler runs inside the library (on its coroutine stack in
 * non-blocking mode), so it only copies bytes prepared beforehand and never
 * calls into PostgreSQL.  It is installed on every connection and serves
 * only while ds_my_load_data() has armed it, so a server asking for a local
 * file at any other time gets nothing.
 */
#include "postgres.h"

#include <errmsg.h>

#include "mysql/mysql_conn.h"
#include "mysql/mysql_int.h"

static int
infile_init(void **ptr, const char *filename, void *userdata)
{
	DsMyConn   *c = (DsMyConn *) userdata;

	*ptr = c;
	return c->infile_armed ? 0 : 1;
}

static int
infile_read(void *ptr, char *buf, unsigned int buf_len)
{
	DsMyConn   *c = (DsMyConn *) ptr;
	size_t		n = Min((size_t) buf_len, c->infile_len - c->infile_pos);

	memcpy(buf, c->infile_data + c->infile_pos, n);
	c->infile_pos += n;
	return (int) n;
}

static void
infile_end(void *ptr)
{
}

static int
infile_error(void *ptr, char *msg, unsigned int msg_len)
{
	snprintf(msg, msg_len, "datastore serves LOCAL INFILE only to its own LOAD DATA statements");
	return CR_UNKNOWN_ERROR;
}

void
ds_my_infile_install(DsMyConn *c)
{
	c->api->mysql_set_local_infile_handler(c->mysql, infile_init, infile_read,
										   infile_end, infile_error, c);
}

uint64
ds_my_load_data(DsConn *conn, const char *sql, const char *target,
				const char *data, size_t len,
				bool (*idle) (void *arg), void *idle_arg,
				unsigned int *warnings, char **info)
{
	DsMyConn   *c = MYCONN(conn);
	const DsMysqlApi *api = c->api;
	int			err = 0;
	const char *i;

	conn->in_flight = true;
	c->infile_armed = true;
	c->infile_data = data;
	c->infile_len = len;
	c->infile_pos = 0;
	c->idle = idle;
	c->idle_arg = idle_arg;
	PG_TRY();
	{
		MY_RUN(c, conn->pool->name, 0,
			   api->mysql_real_query_start(&err, c->mysql, sql, strlen(sql)),
			   api->mysql_real_query_cont(&err, c->mysql, MY_READY));
	}
	PG_FINALLY();
	{
		c->idle = NULL;
		c->infile_armed = false;
	}
	PG_END_TRY();
	if (err)
	{
		c->load_target = target;
		ds_my_conn_error(conn);
	}
	*warnings = api->mysql_warning_count(c->mysql);
	i = api->mysql_info(c->mysql);
	*info = i ? pstrdup(i) : NULL;
	conn->in_flight = false;
	return api->mysql_affected_rows(c->mysql);
}
