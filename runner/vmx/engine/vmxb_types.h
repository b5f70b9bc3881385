/* SPDX-License-Identifier: (MIT OR GPL-2.0) */
/*
 * Integer types for the engine. The same sources build freestanding (the
 * boot image) and inside the kernel, so nothing here may pull in libc or,
 * outside the kernel, kernel headers.
 */
#ifndef VMXB_TYPES_H
#define VMXB_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/compiler.h>
#define VMXB_NOTRACE notrace
#else
#include <stdint.h>
#include <stddef.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#define VMXB_NOTRACE
#endif

typedef __builtin_va_list vmxb_va_list;
#define vmxb_va_start(ap, last) __builtin_va_start(ap, last)
#define vmxb_va_arg(ap, type) __builtin_va_arg(ap, type)
#define vmxb_va_end(ap) __builtin_va_end(ap)

#endif
