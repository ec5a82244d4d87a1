/*
 * fe_ereport.h
 *		ereport() for the fuzzers' frontend builds of backend-style sources
 *		(force-included by build.sh).  An ERROR longjmps back to the harness,
 *		which counts the input as rejected cleanly, as the backend would.
 */
#ifndef DS_FE_EREPORT_H
#define DS_FE_EREPORT_H

#include <setjmp.h>

#define PGSIXBIT(ch)	(((ch) - '0') & 0x3F)
#define MAKE_SQLSTATE(ch1,ch2,ch3,ch4,ch5)	\
	(PGSIXBIT(ch1) + (PGSIXBIT(ch2) << 6) + (PGSIXBIT(ch3) << 12) + \
	 (PGSIXBIT(ch4) << 18) + (PGSIXBIT(ch5) << 24))
#include "utils/errcodes.h"

#define ERROR 21

/* Set by the harness around each call that may raise an ERROR. */
extern sigjmp_buf *fuzz_error_jump;

static inline int errcode(int sqlstate) { return sqlstate; }
static inline int errmsg(const char *fmt,...) { return 0; }
static inline int errdetail(const char *fmt,...) { return 0; }
static inline int errhint(const char *fmt,...) { return 0; }

#define ereport(elevel, ...) \
	do { \
		(void) (__VA_ARGS__); \
		if ((elevel) >= ERROR) \
			siglongjmp(*fuzz_error_jump, 1); \
	} while (0)

#endif							/* DS_FE_EREPORT_H */
