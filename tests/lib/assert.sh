# Assertions on a guest's serial log. Each prints one PASS/FAIL line and
# counts it; they read only what the guest printed. Sourced.
PASSED=${PASSED:-0}
FAILED=${FAILED:-0}

_result() { # ok? description
	if [ "$1" = 0 ]; then
		PASSED=$((PASSED + 1)); printf 'PASS %s: %s\n' "$SCN" "$2"
	else
		FAILED=$((FAILED + 1)); printf 'FAIL %s: %s\n' "$SCN" "$2"
	fi
}

# Kernel timestamp (seconds) of the first log line matching ERE $1 that
# follows the first line matching ERE $2 (optional).
ts_of() {
	awk -v re="$1" -v after="${2:-}" '
		after != "" && !seen && $0 ~ after { seen = 1; next }
		(after == "" || seen) && $0 ~ re {
			if (match($0, /\[ *[0-9]+\.[0-9]+\]/)) {
				s = substr($0, RSTART + 1, RLENGTH - 2); gsub(/ /, "", s); print s; exit
			}
		}' "$LOG"
}

expect() { # ERE [description]
	grep -Eq -- "$1" "$LOG"; _result $? "${2:-log has /$1/}"
}

expect_none() { # ERE [description]
	local rc
	grep -Eq -- "$1" "$LOG"; rc=$?
	# 1: no match. A missing or unreadable log (2) proves nothing.
	[ $rc = 1 ]; _result $? "${2:-log has no /$1/}${LOG:+$([ -r "$LOG" ] || echo " (no log $LOG)")}"
}

# The report of CPU $1 (the first after log line $2, if given) carries the
# stuck CPU's own dump: its "CPU: N UID" line, then a test_lockup frame
# ("+0x" offset) before that dump's end. Reports of several CPUs may
# interleave; only CPU N's dump counts.
expect_report_dump() { # cpu [marker] [what]
	awk -v c="$1" -v m="${2:-}" '
		m != "" && !armed { if (index($0, m)) armed = 1; next }
		!hdr && $0 ~ ("Watchdog detected hard LOCKUP on cpu " c "$") { hdr = 1; next }
		hdr && !dump && $0 ~ ("CPU: " c " UID") { dump = 1; next }
		dump && /(test_lockup|test_work)[a-z_]*\+0x/ { frame = 1 }
		dump && /<\/TASK>/ { exit }
		END { exit !(dump && frame) }' "$LOG"
	_result $? "report for CPU$1${3:+ $3} has its own registers (CPU: $1) and a test_lockup frame"
}

expect_count() { # ERE op N
	local n
	n=$(grep -Ec -- "$1" "$LOG")
	[ "$n" "$2" "$3" ]; _result $? "count of /$1/ is $n ($2 $3)"
}

# Guest time from START to END (first END after START) is <= LIMIT s.
expect_latency() { # START END LIMIT
	local t0 t1 d
	t0=$(ts_of "$1")
	t1=$(ts_of "$2" "$1")
	if [ -z "$t0" ] || [ -z "$t1" ]; then
		_result 1 "latency /$1/ -> /$2/: line missing (start=${t0:-none} end=${t1:-none})"
		return
	fi
	d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	awk -v d="$d" -v l="$3" 'BEGIN { exit !(d <= l) }'
	_result $? "latency $d s <= $3 s (/$1/ at $t0 -> /$2/ at $t1)"
	echo "$SCN latency $d" >> "$RESULTS_DIR/latency.txt"
}
