#!/bin/sh
# report.sh: the in-guest section of bench/RESULTS.md from run.sh's logs.
#   report.sh OUTDIR ARCH... > guest.md
# Per architecture one table: for each forkbench case the median latency on Cleave and
# on Linux under -icount (guest instructions: 1 ns = 1 instruction, deterministic),
# their ratio and the issue 8 target, then the wall-clock medians over the rounds
# (each round's figure is that boot's in-guest median) and their ratio.
set -u
out=$1
shift

# Median over the given logs of case $1's median_ns; "-" when no log has it.
median_of() {
	c=$1
	shift
	cat "$@" 2>/dev/null | awk -v c="case=$c" '
		$1 == "forkbench" && $2 == c {
			for (i = 3; i <= NF; i++) if ($i ~ /^median_ns=/) v[n++] = substr($i, 11) + 0
		}
		END {
			if (!n) { print "-"; exit }
			for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
			print (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
		}'
}

# Target for case $1 (icount ratio Cleave/Linux), or "-".
target() {
	case $1 in fork_exit|fork_exec|vfork_exec|fork_256m) echo 0.25 ;; *) echo - ;; esac
}

cat <<EOF
## In-guest: Cleave against Linux 6.1 in the same QEMU (issue 8, part 1)

\`make bench-guest\` (part of \`make bench\`): \`bench/guest/forkbench.c\`, one static musl
binary, is /init (with \`/tiny\`, a static musl \`main(){return 0;}\`) in the same
initramfs for both kernels; Cleave and Debian's \`linux-image-6.1.0-56\` boot it one
after the other in the same QEMU (x86_64: q35, \`-cpu max,la57=off\`; aarch64: virt,
\`-cpu max,pauth=off\`; 512 MiB; the same command line). Each case's figure is the
in-guest median (clock_gettime(CLOCK_MONOTONIC)) of its iterations after 3 warm-ups.
**icount**: under \`-icount shift=0,sleep=off\` the guest clock advances 1 ns per
executed instruction, so the figures are guest instructions (k = thousands) and repeat
to within 1%; the targets are judged on these. **wall**: without icount, the median of
the per-boot medians over the rounds (TCG on a shared machine: expect 2x swings).
*_16m / *_256m: fork+_exit+wait with that much touched private memory in the parent.

EOF
for arch in "$@"; do
	d=$out/$arch
	rounds=$(ls "$d"/cleave-wall*.log 2>/dev/null | wc -l)
	echo "### $arch"
	echo
	echo "| case | Cleave icount (k instr) | Linux icount (k instr) | Cleave/Linux | target | met | Cleave wall (µs) | Linux wall (µs) | wall ratio |"
	echo "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
	for c in fork_exit fork_exec vfork_exec spawn fork_16m fork_256m; do
		ci=$(median_of "$c" "$d/cleave-icount.log")
		li=$(median_of "$c" "$d/linux-icount.log")
		cw=$(median_of "$c" "$d"/cleave-wall*.log)
		lw=$(median_of "$c" "$d"/linux-wall*.log)
		echo "$c $ci $li $cw $lw $(target "$c")" | awk '
			function k(x) { return x == "-" ? "-" : sprintf("%.1f", x / 1000) }
			function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2f", a / b) }
			{
				r = ratio($2, $3)
				met = ($6 == "-" || r == "-") ? "" : (r + 0 <= $6 + 0 ? "yes" : "no")
				printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, k($2), k($3), r,
					$6 == "-" ? "" : "<= " $6, met, k($4), k($5), ratio($4, $5)
			}'
	done
	echo
	echo "Wall clock: $rounds round(s) per kernel. Logs: \`$d/\`."
	echo
done
