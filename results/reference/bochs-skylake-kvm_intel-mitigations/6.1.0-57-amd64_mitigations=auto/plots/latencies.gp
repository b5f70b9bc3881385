# vmexit-bench: Latencies and bursts, not single exits (median, 95% CI)
# Re-render from this directory: gnuplot latencies.gp
# Other format: gnuplot -e "fmt='svg'" latencies.gp (png, svg, pdf)
# Column width (3.5 in) instead of page width (7 in): -e "size='column'"
if (!exists("fmt")) fmt = 'png'
if (!exists("size")) size = 'page'
if (!exists("outfile")) outfile = 'latencies' . (size eq 'column' ? '-column.' : '.') . fmt
rows = 18
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
if (size eq 'page') set title "\n\n"; set label 999 "Latencies and bursts, not single exits (median, 95% CI)\nIntel(R) Core(TM) i7-7800X CPU @ 3.50GHz (Core i7), Linux 6.1.0-57-amd64, kvm_intel\nCPU emulated by Bochs: path lengths, not hardware cost" at screen 0.5, graph 1 center offset 0, char 3.1 front
set xlabel 'median, ns (95% CI; timer floor subtracted)'
set logscale x 10
set format x '%.0s%c'
set mxtics 10
set xrange [1000:5.20025e+06]
set yrange [-0.7:18-0.3]
set ytics nomirror scale 0
set grid xtics mxtics
set style fill solid 0.6 border -1
unset key
base = 1000
plot 'latencies.dat' using ((base+$2)/2):0:(base):2:($0-0.35):($0+0.35):ytic(1) with boxxyerror lc rgb '#3465a4', \
     '' using 2:0:3:4 with xerrorbars pt 0 lc rgb 'black'
