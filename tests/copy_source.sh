# SPDX-License-Identifier: MIT
# Sourced by the tests that build from a copy of the tree (install, deb).
# copy_source SRC DEST: the files of SRC's checkout (tracked, and untracked
# but not ignored; deleted ones are not there to copy) into DEST, or,
# outside a git checkout, everything but build directories.
copy_source() {
	mkdir -p "$2" || return 1
	if git -C "$1" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		(cd "$1" && git ls-files -z -co --exclude-standard |
			tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$2"
	else
		(cd "$1" && tar --exclude='./build*' -cf - .) | tar -xf - -C "$2"
	fi
}
