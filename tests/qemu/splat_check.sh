#!/usr/bin/env bash
# Fails when a guest's console log shows a kernel splat: a lockdep report (circular or
# recursive locking, inconsistent lock state, dma_fence signalling annotations, suspicious RCU
# usage, lockdep turning itself off), a WARN, a BUG (sleeping in atomic context included), an
# oops or a panic. Kernel lines are recognised by their position: at the start of a line or
# right after a printk timestamp, so that userspace output interleaved on the serial console
# neither hides a splat nor is taken for one. Any architecture's guest.
# Usage: splat_check.sh [-l] LOG
#   -l  also fail unless the log shows that lockdep ran (its boot banner): a kernel built
#       without CONFIG_PROVE_LOCKING would otherwise pass without having checked anything
# Exit: 0 clean; 1 a splat (its first lines are printed) or, with -l, no lockdep; 2 usage.
set -eu
need_lockdep=0
while getopts l opt; do
	case $opt in
	l) need_lockdep=1 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -ne 1 ] || [ ! -r "$1" ]; then sed -n 8,11p "$0"; exit 2; fi
log=$1

# What the kernel prints first in each kind of report (kernel/locking/lockdep.c, panic.c,
# bug.c, arch/*/mm/fault.c, kernel/hung_task.c, kernel/rcu/tree_stall.h).
what='WARNING:|BUG:|INFO: (trying to register|lockdep is turned off|task .* blocked)'
what+='|rcu: INFO:|possible (circular|recursive) locking|inconsistent lock state'
what+='|suspicious RCU usage|turning off the locking correctness validator'
what+='|------------\[ cut here \]|kernel BUG at|Oops|Internal error:|Unable to handle kernel'
what+='|general protection fault|Kernel panic|UBSAN:|KASAN:'
pattern="(^|\\[ *[0-9]+\\.[0-9]+\\] )($what)"

clean=$(tr -d '\r' <"$log")
status=0
if hits=$(grep -nE "$pattern" <<<"$clean"); then
	first=$(head -n 1 <<<"$hits" | cut -d: -f1)
	echo "FAIL: $(wc -l <<<"$hits") kernel splat line(s) in $log; the first report:"
	sed -n "$first,$((first + 79))p" <<<"$clean"
	echo "All matching lines:"
	echo "$hits"
	status=1
fi
if [ "$need_lockdep" -eq 1 ] && ! grep -q 'Lock dependency validator' <<<"$clean"; then
	echo "FAIL: $log does not show lockdep's boot banner: the kernel did not run lockdep"
	status=1
fi
[ "$status" -ne 0 ] || echo "splat_check: no kernel splat in $log$([ "$need_lockdep" -eq 0 ] || echo ', lockdep on')"
exit $status
