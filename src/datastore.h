/*
 * datastore.h
 *		Settings shared by the whole extension (the datastore.* GUCs).
 */
#ifndef DS_DATASTORE_H
#define DS_DATASTORE_H

extern int	ds_connect_timeout;			/* seconds */
extern int	ds_health_check_interval;	/* seconds */
extern int	ds_idle_timeout;			/* seconds */
extern int	ds_cancel_timeout;			/* seconds */
extern int	ds_load_batch_kb;			/* stream load batch size */
extern int	ds_http_timeout;			/* seconds, 0 = none */
extern int	ds_http_max_response_kb;	/* an answer, or a line of a streamed one */

#endif							/* DS_DATASTORE_H */
