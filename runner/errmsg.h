/* SPDX-License-Identifier: MIT */
/*
 * The one error convention of the host code (runner/, analysis/, bench/):
 * a function that can fail takes (char *err, size_t errlen), writes one
 * line there that names what failed and why, and returns -1. ERR() does
 * both, inside such a function. Failures with more to carry have their
 * own named helper (run_fail: a run's status and dump; reader_fail: a
 * file's field; line_fail: a log's line number).
 */
#ifndef VMEXIT_ERRMSG_H
#define VMEXIT_ERRMSG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

static inline int errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline int errmsg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

#define ERR(...) errmsg(err, errlen, __VA_ARGS__)

#endif
