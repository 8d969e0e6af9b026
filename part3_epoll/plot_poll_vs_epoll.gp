# plot_poll_vs_epoll.gp: docs/images/part3_poll_vs_epoll.svg from the benchmark's CSV.
# Run from the repository root:
#   build/part3_epoll/bench_poll_vs_epoll --csv docs/images/part3_poll_vs_epoll.csv
#   gnuplot part3_epoll/plot_poll_vs_epoll.gp
set terminal svg size 720,420 dynamic font "sans,13" background rgb "white"
set output "docs/images/part3_poll_vs_epoll.svg"
set datafile separator ","
set key top left
set logscale xy
set grid
set xlabel "idle descriptors watched (one more is ready)"
set ylabel "time per wait call (log scale)"
set ytics ("100 ns" 100, "1 µs" 1000, "10 µs" 1e4, "100 µs" 1e5, "1 ms" 1e6, "10 ms" 1e7)
set xrange [7:14000]
set title "poll() walks every descriptor; epoll_wait() only the ready list" noenhanced
set xtics ("10" 10, "100" 100, "1 000" 1000, "10 000" 10000)
plot "docs/images/part3_poll_vs_epoll.csv" using 1:2 skip 1 with linespoints lw 2 pt 7 title "poll", \
     "" using 1:3 skip 1 with linespoints lw 2 pt 5 title "epoll_wait" noenhanced
