/* SPDX-License-Identifier: MIT */
/*
 * Progress on stderr while benchmarks run: only on a terminal and without
 * --quiet, so logs and pipes never see carriage returns.
 */
#ifndef VMEXIT_PROGRESS_H
#define VMEXIT_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

/* Enables progress when !@quiet and stderr is a terminal. */
void progress_init(bool quiet);
/* Forces progress to @f regardless of isatty (for tests); NULL disables. */
void progress_init_stream(FILE *f);

/*
 * Cheap enough for the exit loop: redraws at most every 100 ms
 * (CLOCK_MONOTONIC_COARSE), and always when @done reaches @total.
 */
void progress_update(const char *bench, unsigned long long done, unsigned long long total);

/* Run @k of @n (--runs): prefixed to the line when n > 1. */
void progress_run(unsigned k, unsigned n);

/* Clears the progress line so the next output starts on a clean line. */
void progress_done(void);

#endif
