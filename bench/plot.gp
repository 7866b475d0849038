# Fork latency against resident size, log-log: Cleave COW (fork, and fork + destroy
# for a like-for-like comparison with Linux), Cleave eager, Linux fork+_exit+wait,
# and memcpy of the same bytes (the limit for an eager copy).
# Run by `make bench`:
#   gnuplot -e "datafile='build/bench/hosted-x86_64.dat'; outfile='bench/fork_latency.png'; format='x86_64'" bench/plot.gp
# Data columns: mib cow_fork_us cow_destroy_us eager_fork_us eager_destroy_us
#               memcpy_us linux_fork_us cow_total_us
if (!exists("datafile")) datafile = 'build/bench/hosted-x86_64.dat'
if (!exists("outfile")) outfile = 'bench/fork_latency.png'
if (!exists("format")) format = 'x86_64'

set terminal pngcairo size 960,640 font ",11" noenhanced
set output outfile
set title sprintf("Fork latency against resident size (hosted Cleave, %s PTE format, vs host Linux)", format)
set xlabel "touched private memory in the parent (MiB)"
set ylabel "latency (microseconds, median)"
set logscale xy 2
set format y "%g"
set grid xtics ytics mxtics mytics lc rgb "#dddddd"
set key top left box opaque
set xtics (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)

plot datafile using 1:2 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "Cleave COW fork", \
     datafile using 1:8 with linespoints lw 2 pt 6 dt 2 lc rgb "#1f77b4" title "Cleave COW fork + destroy", \
     datafile using 1:4 with linespoints lw 2 pt 5 lc rgb "#2ca02c" title "Cleave eager fork", \
     datafile using 1:7 with linespoints lw 2 pt 9 lc rgb "#d62728" title "Linux fork + _exit + waitpid", \
     datafile using 1:6 with lines lw 1 dt 3 lc rgb "#555555" title "memcpy of the same bytes (4 KiB chunks)"
