# SPDX-License-Identifier: MIT
# bash completion for vmexit-bench (installed as
# share/bash-completion/completions/vmexit-bench). The commands and each
# command's options are read from the binary's own --help, the benchmark
# names from `vmexit-bench list --json` (once per shell and binary), so
# the completion cannot fall behind the binary it completes.

# The catalog's benchmark names for the binary $1, into
# $_vmexit_bench_names_list (run in this shell, not a subshell: it caches).
_vmexit_bench_names()
{
	if [[ ${_vmexit_bench_names_of-} != "$1" ]]; then
		_vmexit_bench_names_list=$("$1" list --json 2>/dev/null |
			sed -n 's/^ *"name": "\([^"]*\)",*$/\1/p')
		_vmexit_bench_names_of=$1
	fi
}

# The long and short options in the --help of command $2 ('' for run) of binary $1.
_vmexit_bench_options()
{
	local help
	if [[ -n $2 && $2 != run && $2 != list ]]; then
		help=$("$1" "$2" --help 2>/dev/null)
	else
		help=$("$1" --help 2>/dev/null)
	fi
	printf '%s\n' "$help" | grep -o -e '--[a-z][a-z-]*' -e '^ *-[a-zA-Z],' |
		tr -d ' ,' | sort -u
}

# The commands named in the binary's usage text ("vmexit-bench CMD ...").
_vmexit_bench_commands()
{
	"$1" --help 2>/dev/null | sed -n 's/^.*vmexit-bench \([a-z][a-z]*\) .*$/\1/p;
		s/^.*vmexit-bench \[\([a-z][a-z]*\)\].*$/\1/p' | sort -u
}

_vmexit_bench()
{
	local cur prev words cword split
	_init_completion -s || return

	local bin=${words[0]} cmd='' i
	# The command is the first word that is not an option (or an option's value).
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--) break ;;
		-*) ;;
		*)
			case ${words[i - 1]} in
			--iterations | -n | --warmup | -w | --runs | -r | --parallel | --cpu | -c | --cpl | \
				--csv | --export-markdown | --output | -o | --plot | --timeout | \
				--handler-work | --backend | --cache | --preset) continue ;;
			esac
			cmd=${words[i]}
			break
			;;
		esac
	done
	case $cmd in
	run | list | env | plot | compare | vmx | lane | help) ;;
	*) cmd='' ;;	# run, with benchmark names
	esac

	case $prev in
	--plot) COMPREPLY=($(compgen -W 'png svg pdf none' -- "$cur")); return ;;
	--cpl) COMPREPLY=($(compgen -W '0 3 auto' -- "$cur")); return ;;
	--backend) COMPREPLY=($(compgen -W 'kvm lane-amd lane-intel' -- "$cur")); return ;;
	--vendor) COMPREPLY=($(compgen -W 'intel amd' -- "$cur")); return ;;
	--unit) COMPREPLY=($(compgen -W 'ticks ns' -- "$cur")); return ;;
	--preset) COMPREPLY=($(compgen -W 'paper' -- "$cur")); return ;;
	--output | -o | --cache | --image-dir | --modules) _filedir -d; return ;;
	--csv | --export-markdown | --serial | --log | --sweep-csv | --kernel) _filedir; return ;;
	--kernel-package)
		COMPREPLY=($(apt-cache pkgnames "${cur:-linux-image-}" 2>/dev/null |
			grep '^linux-image-'))
		return
		;;
	--parallel) COMPREPLY=($(compgen -W '2 3 4 5 6 7 8' -- "$cur")); return ;;
	--iterations | -n | --warmup | -w | --runs | -r | --cpu | -c | --timeout | \
		--handler-work | --iters | --msr-area | --benches | --areas | --resamples | \
		--seed | --label | --bochs-cpu | --kvm-param | --append)
		return ;;
	esac
	$split && return

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_vmexit_bench_options "$bin" "$cmd")" -- "$cur"))
		[[ ${COMPREPLY-} == *= ]] && compopt -o nospace
		return
	fi
	case $cmd in
	'')
		_vmexit_bench_names "$bin"
		COMPREPLY=($(compgen -W "$(_vmexit_bench_commands "$bin")
			$_vmexit_bench_names_list" -- "$cur"))
		;;
	run | lane)
		_vmexit_bench_names "$bin"
		COMPREPLY=($(compgen -W "$_vmexit_bench_names_list" -- "$cur"))
		;;
	plot | compare) _filedir -d ;;
	esac
}
complete -F _vmexit_bench vmexit-bench
