# vmexit-bench: distribution (CDF) of one benchmark's samples
# Re-render from this directory: gnuplot cdf-pio_out_user-cpl0.gp
# Other format: gnuplot -e "fmt='svg'" cdf-pio_out_user-cpl0.gp (png, svg, pdf)
# Column width (3.5 in) instead of page width (7 in): -e "size='column'"
if (!exists("fmt")) fmt = 'png'
if (!exists("size")) size = 'page'
if (!exists("outfile")) outfile = 'cdf-pio_out_user-cpl0' . (size eq 'column' ? '-column.' : '.') . fmt
rows = 0
w = (size eq 'column') ? 3.5 : 7.0
h = (rows > 0) ? (((size eq 'column') ? 1.1 : 1.5) + rows * ((size eq 'column') ? 0.16 : 0.2)) : ((size eq 'column') ? 2.6 : 3.6)
h = (h < 2.0) ? 2.0 : h
fs = (size eq 'column') ? 7 : 9
if (fmt eq 'png') set terminal pngcairo noenhanced size w*150, h*150 font sprintf(',%d', fs*150/72.0) linewidth 1.5
if (fmt eq 'svg') set terminal svg noenhanced size w*96, h*96 dynamic font sprintf(',%d', fs*96/72.0)
if (fmt eq 'pdf') set terminal pdfcairo noenhanced size w, h font sprintf(',%d', fs)
set output outfile
set datafile missing '-'
if (size ne 'page') set title "emulated CPU (Bochs): not hardware cost"
if (size eq 'page') set title "\n\n"; set label 999 "CDF of pio_out_user, CPL0, 30 samples\nIntel(R) Core(TM) i7-7800X CPU @ 3.50GHz (Core i7), Linux 6.1.0-57-amd64, kvm_intel\nCPU emulated by Bochs: path lengths, not hardware cost" at screen 0.5, graph 1 center offset 0, char 3.1 front
set xlabel 'ns (timer floor of 4 ticks subtracted; axis ends past p99.9; max 2258)'
set ylabel 'fraction of samples'
set yrange [0:1]
set grid xtics mxtics ytics
unset key
k = 0.28572147
set logscale x 10
set format x '%.0s%c'
set mxtics 10
set xrange [1000:2822.93]
median = 2083.48
p99 = 2258.34
set arrow from median, graph 0 to median, graph 1 nohead dt 2 lc rgb 'gray40'
set label 'median' at median, graph 0.08 offset 0.5,0
set arrow from p99, graph 0 to p99, graph 1 nohead dt 3 lc rgb 'gray40'
set label 'p99' at p99, graph 0.92 offset 0.5,0
plot 'cdf-pio_out_user-cpl0.dat' using ($1*k):2 with steps lw 2 lc rgb '#3465a4'
