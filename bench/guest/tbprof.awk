# tbprof.awk: guest instructions executed per kernel function, from a QEMU log made
# with `-d in_asm,exec,nochain` (every translated block's instructions, then one
# "Trace" line per block execution). Run as
#   awk -f tbprof.awk SYMS LOG
# where SYMS is `nm -n --defined-only KERNEL.elf` output. Prints "count symbol" lines
# (user-mode and unknown addresses lumped as "[user]" / "[other]").
# With -v callee=FUNC it prints instead "calls caller" lines: the entries into FUNC by
# the function whose block ran just before.
FNR == NR {
	if ($2 ~ /^[tTwW]$/) { nsym++; saddr[nsym] = tolower(sprintf("%016s", $1)); sname[nsym] = $3 }
	gsub(/ /, "0", saddr[nsym])
	if (sname[nsym] == callee) entry = saddr[nsym]
	next
}
# in_asm: "IN: sym" then one line per instruction "0xADDR:  bytes  insn".
/^IN:/ { inblk = 1; first = ""; n = 0; next }
inblk && /^0x[0-9a-f]+:/ {
	a = substr($1, 3, length($1) - 3)
	if (first == "") first = a
	n++
	next
}
inblk && !/^0x/ { if (first != "") size[pad(first)] = n; inblk = 0 }
/^Trace / {
	split($0, f, "/")
	pc = pad(f[2])
	execs[pc]++
	if (callee != "") {
		if (!(pc in symof)) symof[pc] = lookup(pc)
		if (symof[pc] == callee && pc == entry) calls[prevsym]++
		prevsym = symof[pc]
	}
	next
}
function pad(a,   s) { s = sprintf("%16s", a); gsub(/ /, "0", s); return tolower(s) }
# Symbol containing address a (binary search over the sorted table), or "".
function lookup(a,   lo, hi, mid) {
	lo = 1; hi = nsym
	if (nsym == 0 || a < saddr[1]) return ""
	while (lo < hi) {
		mid = int((lo + hi + 1) / 2)
		if (saddr[mid] <= a) lo = mid; else hi = mid - 1
	}
	return sname[lo]
}
END {
	if (callee != "") {
		for (c in calls) printf "%d %s\n", calls[c], c
		exit
	}
	for (pc in execs) {
		s = (substr(pc, 1, 4) == "0000") ? "[user]" : lookup(pc)
		if (s == "") s = "[other]"
		tot[s] += execs[pc] * size[pc]
	}
	for (s in tot) printf "%d %s\n", tot[s], s
}
