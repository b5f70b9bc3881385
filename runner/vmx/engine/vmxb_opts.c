// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * The option string both platforms accept: the image's command line and
 * what is written to the module's device. Space-separated key=value words;
 * words without '=' are skipped because GRUB puts the image path first.
 */
#include "vmxb.h"

int vmxb_word_is(const char *w, u32 n, const char *s)
{
	u32 i = 0;

	for (; i < n && s[i]; i++)
		if (w[i] != s[i])
			return 0;
	return i == n && !s[i];
}

static int parse_u32(const char *s, u32 n, u32 *out)
{
	u64 v = 0;

	if (!n)
		return -1;
	for (u32 i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || v > 100000000)
			return -1;
		v = v * 10 + (u64)(s[i] - '0');
	}
	*out = (u32)v;
	return 0;
}

static int parse_names(const char *v, u32 n, u32 *mask, int count,
		       const char *(*name)(int))
{
	u32 m = 0, start = 0;

	for (u32 i = 0; i <= n; i++) {
		int found = -1;

		if (i < n && v[i] != ',')
			continue;
		for (int k = 0; k < count; k++)
			if (vmxb_word_is(v + start, i - start, name(k)))
				found = k;
		if (found < 0)
			return -1;
		m |= 1u << found;
		start = i + 1;
	}
	*mask = m;
	return 0;
}

static int parse_option(struct vmxb_config *c, const char *k, u32 kn, const char *v, u32 vn)
{
	if (vmxb_word_is(k, kn, "iters"))
		return parse_u32(v, vn, &c->iters);
	if (vmxb_word_is(k, kn, "warmup"))
		return parse_u32(v, vn, &c->warmup);
	if (vmxb_word_is(k, kn, "quiet"))
		return parse_u32(v, vn, &c->quiet_samples);
	if (vmxb_word_is(k, kn, "msr-area")) {
		if (vmxb_word_is(v, vn, "none")) {
			c->ncounts = 0;
			return 0;
		}
		return vmxb_parse_counts(c, v, vn);
	}
	if (vmxb_word_is(k, kn, "benches"))
		return parse_names(v, vn, &c->benches, VMXB_B_COUNT, vmxb_bench_name);
	if (vmxb_word_is(k, kn, "areas"))
		return parse_names(v, vn, &c->areas, VMXB_A_COUNT, vmxb_area_name);
	return 1;
}

int vmxb_parse_options(struct vmxb_config *c, const char *s, vmxb_option_fn extra,
		       void *ctx, char *bad, u32 badlen)
{
	while (*s) {
		const char *w = s, *eq = 0;
		int rc = 0;

		while (*s && *s != ' ' && *s != '\n') {
			if (*s == '=' && !eq)
				eq = s;
			s++;
		}
		if (eq) {
			u32 kn = (u32)(eq - w), vn = (u32)(s - eq - 1);

			rc = parse_option(c, w, kn, eq + 1, vn);
			if (rc > 0 && extra)
				rc = extra(ctx, w, kn, eq + 1, vn);
		}
		if (rc) {
			u32 n = 0;

			while (w + n < s && n + 1 < badlen) {
				bad[n] = w[n];
				n++;
			}
			bad[n] = 0;
			return -1;
		}
		while (*s == ' ' || *s == '\n')
			s++;
	}
	return 0;
}
