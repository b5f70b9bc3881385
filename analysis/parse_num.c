/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "parse_num.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!s || !is_digit(*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_i64(const char *s, long long min, long long max, long long *out)
{
	long long v;
	char *end;

	if (!s || !is_digit(*s == '-' ? s[1] : *s))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_f64(const char *s, double *out)
{
	const char *p = s;
	double v;
	char *end;

	if (!s)
		return -1;
	/* Like the integers: a '-' or nothing; "+7" is no plain decimal. */
	if (*p == '-')
		p++;
	/* strtod would also take blanks, "inf", "nan" and hex floats. */
	if (!is_digit(*p) && !(*p == '.' && is_digit(p[1])))
		return -1;
	for (const char *q = p; *q; q++)
		if (*q == 'x' || *q == 'X')
			return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}
