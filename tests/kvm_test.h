/* SPDX-License-Identifier: MIT */
/* Shared by the tests that need /dev/kvm: skip (exit 77) when it is not usable. */
#ifndef VMEXIT_KVM_TEST_H
#define VMEXIT_KVM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "vm.h"

/* meson treats exit status 77 as "skipped"; tests/summarize.py reads the SKIP line. */
static inline void require_kvm_or_skip(int ntests)
{
	char err[256];
	int fd = kvm_open(err, sizeof(err));

	if (fd < 0) {
		printf("SKIP: %d tests: %s\n", ntests, err);
		exit(77);
	}
	close(fd);
}

#endif
