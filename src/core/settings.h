/*
 * settings.h
 *		Settings shared by the whole extension (the datastore.* GUCs).
 */
#ifndef DS_SETTINGS_H
#define DS_SETTINGS_H

extern int	ds_connect_timeout;			/* seconds */
extern int	ds_health_check_interval;	/* seconds */
extern int	ds_idle_timeout;			/* seconds */
extern int	ds_cancel_timeout;			/* seconds */
extern int	ds_load_batch_kb;			/* stream load batch size */
extern int	ds_http_timeout;			/* seconds, 0 = none */
extern int	ds_http_max_response_kb;	/* an answer, or a line of a streamed one */

/* From _PG_init: defines the settings above and datastore.curl_library. */
extern void ds_settings_define(void);

#endif							/* DS_SETTINGS_H */
