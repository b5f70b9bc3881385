/* SPDX-License-Identifier: MIT */
/* Where the run-time files are (see rundir.h). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errmsg.h"
#include "rundir.h"

/* Set by meson from --prefix, --bindir and --libexecdir. */
#ifndef VMEXIT_PKGLIBEXEC_REL
#define VMEXIT_PKGLIBEXEC_REL "../libexec/vmexit-bench"
#endif
#ifndef VMEXIT_PKGLIBEXECDIR
#define VMEXIT_PKGLIBEXECDIR "/usr/local/libexec/vmexit-bench"
#endif

static const struct {
	const char *env, *sub, *marker, *what;
} kinds[] = {
	[RUNDIR_LANE] = { "VMEXIT_LANE_DIR", "lane", "lane.sh", "lane scripts" },
	[RUNDIR_VMX] = { "VMXB_IMAGE_DIR", "vmx", "vmxbench.bin", "VMX image" },
};

/* @dir/@sub when @dir/@sub/@marker exists: 0 with it in @out. */
static int try_dir(const char *dir, const char *sub, const char *marker, char *out, size_t len)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof(p), "%s/%s/%s", dir, sub, marker) >= (int)sizeof(p) ||
	    access(p, R_OK))
		return -1;
	return snprintf(out, len, "%s/%s", dir, sub) >= (int)len ? -1 : 0;
}

int rundir_find_from(const char *exe, enum rundir_kind kind, char *out, size_t len,
		     char *err, size_t errlen)
{
	const char *env = getenv(kinds[kind].env), *slash;
	char bindir[PATH_MAX], dirs[3][PATH_MAX];

	if (env && *env) {
		if (snprintf(out, len, "%s", env) >= (int)len)
			return ERR("%s: path too long", kinds[kind].env);
		return 0;
	}
	slash = exe ? strrchr(exe, '/') : NULL;
	if (!slash || slash - exe >= (int)sizeof(bindir))
		return ERR("no %s: the binary's own path (%s) is unknown; set %s",
			   kinds[kind].what, exe ? exe : "?", kinds[kind].env);
	snprintf(bindir, sizeof(bindir), "%.*s", (int)(slash - exe), exe);
	if (!bindir[0])
		snprintf(bindir, sizeof(bindir), "/");
	/* Installed, in the build directory, at the configured install path. */
	if (VMEXIT_PKGLIBEXEC_REL[0] == '/')
		snprintf(dirs[0], sizeof(dirs[0]), "%s", VMEXIT_PKGLIBEXEC_REL);
	else
		snprintf(dirs[0], sizeof(dirs[0]), "%.2000s/%s", bindir, VMEXIT_PKGLIBEXEC_REL);
	snprintf(dirs[1], sizeof(dirs[1]), "%.2000s/runner", bindir);
	snprintf(dirs[2], sizeof(dirs[2]), "%s", VMEXIT_PKGLIBEXECDIR);
	for (int i = 0; i < 3; i++)
		if (!try_dir(dirs[i], kinds[kind].sub, kinds[kind].marker, out, len))
			return 0;
	return ERR("no %s (%s) in %.1000s/%s, %.1000s/%s or %.1000s/%s: reinstall, or set %s",
		   kinds[kind].what, kinds[kind].marker, dirs[0], kinds[kind].sub, dirs[1],
		   kinds[kind].sub, dirs[2], kinds[kind].sub, kinds[kind].env);
}

int rundir_find(enum rundir_kind kind, char *out, size_t len, char *err, size_t errlen)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return rundir_find_from(NULL, kind, out, len, err, errlen);
	self[n] = 0;
	return rundir_find_from(self, kind, out, len, err, errlen);
}
