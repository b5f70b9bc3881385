/* SPDX-License-Identifier: MIT */
/*
 * Strict number parsing for command lines and the files we read: the whole
 * string is the number, nothing around it. strtoull/strtod alone accept
 * leading blanks, a sign on unsigned values ("-1" wraps) and, for doubles,
 * "inf"/"nan"; none of those is a count or a measurement.
 */
#ifndef VMEXIT_PARSE_NUM_H
#define VMEXIT_PARSE_NUM_H

/* Decimal digits only, 0..@max. Returns 0, or -1 (@out untouched). */
int parse_u64(const char *s, unsigned long long max, unsigned long long *out);

/* An optional '-' then decimal digits, within [@min, @max]. */
int parse_i64(const char *s, long long min, long long max, long long *out);

/* A finite decimal number (optional '-', digits, '.', exponent); no blanks, no '+', no hex. */
int parse_f64(const char *s, double *out);

#endif
