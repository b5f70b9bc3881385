// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * A tiny formatter for the serial line format: %s %c %d %u %x with an
 * optional l (64-bit) modifier. Enough for the line format and nothing else,
 * because the engine links against no C library.
 */
#include "vmxb.h"

struct fbuf {
	char *p;
	u32 n, size;
};

static void put(struct fbuf *b, char c)
{
	if (b->n + 1 < b->size)
		b->p[b->n] = c;
	b->n++;
}

static void put_u64(struct fbuf *b, u64 v, unsigned base)
{
	char tmp[24];
	int k = 0;

	do {
		tmp[k++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (k)
		put(b, tmp[--k]);
}

static void put_str(struct fbuf *b, const char *s)
{
	if (!s)
		s = "(null)";
	while (*s)
		put(b, *s++);
}

int vmxb_vsnprintf(char *buf, u32 size, const char *fmt, vmxb_va_list ap)
{
	struct fbuf b = { buf, 0, size };

	for (; *fmt; fmt++) {
		int is64 = 0;
		u64 u;
		s64 s;

		if (*fmt != '%') {
			put(&b, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == 'l') {
			is64 = 1;
			fmt++;
		}
		switch (*fmt) {
		case 's':
			put_str(&b, vmxb_va_arg(ap, const char *));
			break;
		case 'c':
			put(&b, (char)vmxb_va_arg(ap, int));
			break;
		case 'd':
			s = is64 ? vmxb_va_arg(ap, long) : vmxb_va_arg(ap, int);
			if (s < 0) {
				put(&b, '-');
				u = (u64)0 - (u64)s;
			} else {
				u = (u64)s;
			}
			put_u64(&b, u, 10);
			break;
		case 'u':
		case 'x':
			u = is64 ? vmxb_va_arg(ap, unsigned long) : vmxb_va_arg(ap, unsigned);
			put_u64(&b, u, *fmt == 'u' ? 10 : 16);
			break;
		case '%':
			put(&b, '%');
			break;
		default:
			put(&b, '?');
			if (!*fmt)
				fmt--;
			break;
		}
	}
	if (size)
		buf[b.n < size ? b.n : size - 1] = 0;
	return (int)b.n;
}

static void vout(struct vmxb *e, const char *prefix, const char *fmt, vmxb_va_list ap)
{
	char line[256];
	u32 n = 0;

	while (prefix[n] && n < sizeof(line) - 1) {
		line[n] = prefix[n];
		n++;
	}
	vmxb_vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	for (n = 0; line[n]; n++)
		if (line[n] == '\n' || line[n] == '\r')
			line[n] = ' ';
	line[n] = '\n';
	line[n + 1] = 0;
	e->plat->puts(e->plat->ctx, line);
}

void vmxb_out(struct vmxb *e, const char *fmt, ...)
{
	vmxb_va_list ap;

	vmxb_va_start(ap, fmt);
	vout(e, "VMXB 1 ", fmt, ap);
	vmxb_va_end(ap);
}

void vmxb_error(struct vmxb *e, const char *fmt, ...)
{
	vmxb_va_list ap;

	e->errors++;
	vmxb_va_start(ap, fmt);
	vout(e, "VMXB 1 error ", fmt, ap);
	vmxb_va_end(ap);
}

int vmxb_snprintf(char *buf, u32 size, const char *fmt, ...)
{
	vmxb_va_list ap;
	int n;

	vmxb_va_start(ap, fmt);
	n = vmxb_vsnprintf(buf, size, fmt, ap);
	vmxb_va_end(ap);
	return n;
}
